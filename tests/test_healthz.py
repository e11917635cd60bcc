"""/healthz: no login, no data; 200 when the database, the broker, a worker and the
statistics are fine, 503 naming what is not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partybuild import health
from reports.models import Snapshot

from .test_statistics_views import compute


def checks(client, expected_status: int) -> dict:
    response = client.get(reverse("healthz"))
    assert response.status_code == expected_status, response.content
    assert response["Cache-Control"].startswith("max-age=0") or "no-" in response["Cache-Control"]
    return response.json()["checks"]


@pytest.fixture
def figures(tree):
    return compute()


@pytest.fixture
def in_process(settings):
    settings.REDIS_URL = ""


@pytest.mark.django_db
def test_in_process_with_fresh_figures_is_healthy_without_a_login(client, figures, in_process):
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker", "statistics"}
    assert body["checks"]["broker"] == {"ok": True, "detail": "in-process"}
    assert body["checks"]["statistics"]["detail"] == "0.0 h old"


@pytest.mark.django_db
def test_no_figures_or_old_figures_answer_503(client, tree, in_process, settings):
    assert checks(client, 503)["statistics"] == {"ok": False, "detail": "no figures yet"}
    compute()
    old = timezone.now() - datetime.timedelta(hours=settings.HEALTH_SNAPSHOT_MAX_AGE_HOURS + 1)
    Snapshot.objects.update(computed_at=old)
    assert checks(client, 503)["statistics"]["ok"] is False
    Snapshot.objects.update(computed_at=timezone.now())
    checks(client, 200)


@pytest.mark.django_db
def test_with_a_broker_a_worker_must_have_beaten_lately(client, figures, settings):
    settings.REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/1"
    if not health.broker().ok:
        pytest.skip("no Redis on 127.0.0.1 (make test starts one)")
    health.cache.delete(health.HEARTBEAT_KEY)
    assert checks(client, 503)["worker"] == {"ok": False, "detail": "no heartbeat"}
    health.heartbeat("stats@host")
    assert checks(client, 200)["worker"]["detail"].startswith("stats@host")
    too_old = datetime.timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS + 1)
    health.cache.set(health.HEARTBEAT_KEY, {"worker": "stats@host", "at": timezone.now() - too_old})
    assert checks(client, 503)["worker"]["ok"] is False


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_503(client, figures, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    assert checks(client, 503)["broker"] == {"ok": False, "detail": "ConnectionError"}


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_503(client, figures, in_process, monkeypatch):
    from django.db import DatabaseError, connection

    def refuse(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", refuse)
    body = checks(client, 503)
    assert body["database"] == {"ok": False, "detail": "DatabaseError"}
