"""Foundation benchmark: build 320,000 members in 15,001 organizations, then time pages.

Run on PostgreSQL (make test's server is fine; a separate database is used):
    scripts/services.sh start
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/foundation.py [--rebuild]
Prints: dataset build time, and for each page the median server time over several requests
(Django test client in-process: view, queries and template rendering) and its query count.
"""

import os
import statistics
import sys
import time
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from members.models import Member  # noqa: E402
from organizations.models import Kind, Organization  # noqa: E402
from reminders import services as reminders  # noqa: E402

REPEAT = 7


def ensure_database() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the docstring).")
    call_command("migrate", verbosity=0)


def build(rebuild: bool) -> None:
    if rebuild and Organization.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE organizations_organization, members_member, auth_user, "
                "organizations_policy RESTART IDENTITY CASCADE"
            )
    if Organization.objects.exists():
        print(f"dataset present: {Organization.objects.count()} organizations, "
              f"{Member.objects.count()} people")  # fmt: skip
        return
    started = time.perf_counter()
    call_command("seed_demo", "--large", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"dataset built: {Organization.objects.count()} organizations, "
          f"{Member.objects.count()} people in {time.perf_counter() - started:.1f} s")  # fmt: skip


@cache
def _test_environment() -> None:
    setup_test_environment()  # once: Django refuses a second call


def logged_in(username: str = "committee") -> Client:
    """A test client logged in as one of the demo users (the test environment set up)."""
    _test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def first_of(kind: str) -> Organization:
    """The first organization of a kind by code: the same sample in every benchmark."""
    return Organization.objects.filter(kind=kind).order_by("code").first()


def measure(client: Client, label: str, url: str) -> None:
    client.get(url)  # warm caches
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    print(f"{label:<58} {statistics.median(times):7.1f} ms  {queries:3d} queries")


def main() -> None:
    ensure_database()
    build("--rebuild" in sys.argv)
    client = logged_in()
    root = Organization.objects.get(parent__isnull=True)
    committee, general = first_of(Kind.PARTY_COMMITTEE), first_of(Kind.GENERAL_BRANCH)
    branch = first_of(Kind.BRANCH)
    print(f"{'page':<58} {'median':>10}  queries")
    measure(
        client, "organization page: working committee (400 children)", f"/organizations/{root.pk}/"
    )
    measure(client, "organization page: party committee", f"/organizations/{committee.pk}/")
    measure(client, "organization page: general branch", f"/organizations/{general.pk}/")
    measure(client, "organization page: branch", f"/organizations/{branch.pk}/")
    measure(
        client, "tree: children of a party committee", f"/organizations/{committee.pk}/children/"
    )
    measure(client, "tree: children of the working committee (with reminder counts)",
            f"/organizations/{root.pk}/children/")  # fmt: skip
    measure(client, "reminders: whole city, first page", "/reminders/")
    measure(client, "reminders: one party committee",
            f"/reminders/?organization={committee.pk}")  # fmt: skip
    measure(client, "member list: one branch", f"/members/?organization={branch.pk}")
    measure(client, "member list: one branch, page 2 of a large one",
            f"/members/?organization={committee.pk}&page=2")  # fmt: skip
    measure(client, "member list: whole city (320,000), first page", "/members/")
    measure(client, "member list: whole city, search by name", "/members/?q=王伟")
    measure(client, "member list: whole city, sorted by name (pinyin)", "/members/?sort=name")
    measure(client, "member list: whole city, pinyin initials", "/members/?q=wwei")
    measure(client, "member list: whole city, last 4 ID characters", "/members/?q=1234")
    measure(client, "member list: whole city, page 2,000 (numbered pages)", "/members/?page=2000")
    member = Member.objects.filter(organization=branch).first()
    # A whole number only: a prefix search would let anyone rebuild numbers digit by digit.
    measure(client, "member list: whole city, one ID number", f"/members/?q={member.id_number}")
    measure(client, "member page (records and change history)", f"/members/{member.pk}/")
    measure(client, "new-member form (15,001 organizations in scope)", "/members/new/")
    measure(client, "development board: whole city", f"/development/organizations/{root.pk}/")
    measure(client, "development board: one branch", f"/development/organizations/{branch.pk}/")
    measure(client, "development board: whole city, one stage page by page",
            f"/development/organizations/{root.pk}/?stage=activist&page=3")  # fmt: skip
    measure(client, "dashboard: whole city (appraisal of the campaigns covering it)",
            f"/reports/{root.pk}/")  # fmt: skip
    measure(
        client, "ratio report: children of the working committee", f"/reports/{root.pk}/ratios/"
    )
    measure(client, "ratio report: all branches, sorted by appraisal participation",
            f"/reports/{root.pk}/ratios/?level=branches&sort=-participation")  # fmt: skip
    measure(client, "compliance matrix: children of the working committee",
            f"/meetings/matrix/{root.pk}/")  # fmt: skip
    measure(client, "compliance matrix: one party committee", f"/meetings/matrix/{committee.pk}/")
    measure(client, "meetings of one branch", f"/meetings/organizations/{branch.pk}/")
    started = time.perf_counter()
    with transaction.atomic():
        written = reminders.rebuild()
    seconds = time.perf_counter() - started
    print(f"reminders rebuilt for everyone: {written} rows in {seconds:.1f} s")
    secretary = logged_in("secretary")
    measure(secretary, "member list as the branch secretary", "/members/")


if __name__ == "__main__":
    main()
