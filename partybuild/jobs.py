"""Background jobs: started after the request's transaction commits, run by a worker with the
user's scope applied again, followed on a progress page, their file downloaded by their user.

Every app starts its long exports and imports here; the app gives the Celery task to run.
"""

import datetime
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .models import Job, JobStatus


def job_start(*, task, kind: str, user, params: dict) -> Job:
    """Record a job and enqueue `task` (a Celery task taking the job's id) once committed."""
    job = Job.objects.create(kind=kind, user=user, params=params)
    transaction.on_commit(lambda: task.delay(job.pk))
    return job


def job_run(job_id: int, work) -> Job:
    """Run `work(job, stream)` writing the result file; record failure instead of raising."""
    job = Job.objects.select_related("user").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=5)
    try:
        with tempfile.TemporaryFile() as stream:
            filename = work(job, stream)
            stream.seek(0)
            job.file.save(filename, File(stream), save=False)
    except Exception as exc:
        job.status, job.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["status", "progress", "file", "finished_at"])
    return job


def job_filename(kind: str, day: datetime.date | None = None) -> str:
    return f"{kind}-{(day or datetime.date.today()).isoformat()}.xlsx"
