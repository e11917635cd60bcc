"""A real Celery worker consuming from a real Redis broker (run on PostgreSQL by make test)."""

import io
import os
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partybuild.celery import app
from partybuild.models import Job

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test sets it)"
    ),
]


@pytest.fixture
def celery_worker():
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker


@pytest.mark.django_db(transaction=True)
def test_large_export_runs_in_the_worker_and_is_downloaded(
    client, cast, people, settings, celery_worker
):
    settings.ROSTER_EXPORT_INLINE_LIMIT = 1
    client.force_login(cast.paul)
    response = client.get(reverse("members:member_export"))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    deadline = time.monotonic() + 60
    while job.status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == "done", job.error
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True))
    # The worker scoped the export to Paul's committee again: B1, B2, B3 but not B4.
    assert names == sorted([people.b1.name, people.b2.name, people.b3.name])
