"""Reports read from a real PostgreSQL streaming replica, and from the primary when it is
away or behind. make test starts the standby (scripts/services.sh replica, pg_basebackup
from the primary) and runs these with DATABASE_REPLICA_URL set."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization, Role, UserRole
from partybuild import replica
from reports.models import Snapshot

from . import city_report
from .test_statistics_views import compute, find, text, workbook

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_REPLICA_URL"),
        reason="needs DATABASE_REPLICA_URL (make test starts a streaming replica)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]
SERVICES = Path(__file__).resolve().parent.parent / "scripts" / "services.sh"


def caught_up(snapshot: Snapshot, timeout: float = 30) -> None:
    """Wait until the replica has replayed the snapshot's commit."""
    deadline = time.monotonic() + timeout
    while not Snapshot.objects.using("replica").filter(pk=snapshot.pk, is_current=True).exists():
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


@pytest.fixture
def city(settings):
    settings.REPLICA_CHECK_SECONDS = 0  # every request asks the replica afresh
    city_report.build_city_report()
    root = Organization.objects.get(parent__isnull=True)
    staff = get_user_model().objects.create_user("city-staff", password="x")
    UserRole.objects.create(user=staff, organization=root, role=Role.STAFF)
    snapshot = compute(city_report.AS_OF)
    caught_up(snapshot)
    return root, staff


def reads_of(queries, table: str) -> int:
    return sum(f'"{table}"' in q["sql"] for q in queries)


def pages(client, root) -> tuple[str, str, object]:
    """The dashboard, the ratio report and the yearly workbook of the city."""
    as_of = f"?as_of={city_report.AS_OF}"
    dashboard = text(client.get(reverse("reports:dashboard_of", args=[root.pk]) + as_of))
    ratios = client.get(reverse("reports:ratios_of", args=[root.pk]) + as_of)
    assert ratios.status_code == 200
    book = workbook(
        client.post(reverse("reports:yearly", args=[root.pk]), {"as_of": str(city_report.AS_OF)})
    )
    return dashboard, text(ratios), book


def assert_city_figures(dashboard: str, book) -> None:
    assert "9875" in dashboard and "19.5%" in dashboard  # 1,930 women of 9,875
    assert find(book["基本构成"], "党员")[1] == 9875
    assert find(book["基本构成"], "女性")[1:] == (1930, 0.195)
    assert find(book["发展党员"], "发展党员")[1] == 263


def test_statistics_ratios_and_workbook_read_the_figures_from_the_replica(client, city):
    root, staff = city
    client.force_login(staff)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        dashboard, ratios, book = pages(client, root)
    assert_city_figures(dashboard, book)
    assert "(合计) 9875 19.5" in ratios  # the city line: members, share of women
    assert reads_of(on_replica, "reports_figures") >= 3  # each of the three read there
    assert reads_of(on_primary, "reports_figures") == 0
    # Sessions and the export's job were read and written on the primary.
    assert reads_of(on_primary, "django_session") >= 1
    assert reads_of(on_replica, "django_session") == reads_of(on_replica, "partybuild_job") == 0


def test_a_stopped_replica_falls_back_to_the_primary_without_an_error(client, city):
    root, staff = city
    client.force_login(staff)
    subprocess.run([SERVICES, "replica-stop"], check=True, capture_output=True)
    try:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            dashboard, _ratios, book = pages(client, root)
        assert_city_figures(dashboard, book)
        assert reads_of(on_primary, "reports_figures") >= 3
        assert not replica.available()
    finally:
        subprocess.run([SERVICES, "replica-resume"], check=True, capture_output=True)
    deadline = time.monotonic() + 30
    while not replica.available(fresh=True):
        assert time.monotonic() < deadline, "the replica did not come back"
        time.sleep(0.2)


def test_a_replica_behind_the_bound_is_not_read(client, city, settings):
    root, staff = city
    client.force_login(staff)
    settings.REPLICA_MAX_LAG_SECONDS = -1  # any replica is too far behind
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        dashboard, _ratios, book = pages(client, root)
    assert_city_figures(dashboard, book)
    assert reads_of(on_replica, "reports_figures") == 0


def test_writes_go_to_the_primary_even_while_reading_from_the_replica(city):
    root, _staff = city
    with replica.reads():
        organization = Organization.objects.get(pk=root.pk)
        assert organization._state.db == "replica"
        organization.save(update_fields=["name"])  # the replica refuses writes: primary
    assert replica.ReplicaRouter().db_for_write(Organization) == "default"
