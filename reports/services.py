"""Background jobs: start after commit, run in a worker with the user's scope again."""

import datetime
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .models import Job, JobStatus

JOB_TASKS = {
    "roster_export": "members.tasks.roster_export",
    "yearly_report": "reports.tasks.yearly_report",
}


def job_start(*, kind: str, user, params: dict) -> Job:
    """Record a job and enqueue its task once the job row is committed."""
    from partybuild.celery import app

    job = Job.objects.create(kind=kind, user=user, params=params)
    task_name = JOB_TASKS[kind]
    # app.tasks finalizes the app, which imports every app's tasks module.
    transaction.on_commit(lambda: app.tasks[task_name].delay(job.pk))
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
