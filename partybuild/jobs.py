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

# The binding (organization and role) the user acted in when starting the job: the worker
# acts in it again, so the job sees exactly what the page did (organizations.access).
ACTING_ROLE = "acting_role_id"


def new_job(*, kind: str, user, params: dict) -> Job:
    """An unsaved job that remembers the binding its user acts in."""
    return Job(
        kind=kind, user=user, params={**params, ACTING_ROLE: getattr(user, ACTING_ROLE, None)}
    )


def load_job(job_id: int) -> Job:
    """The job, its user acting in the binding the job was started in."""
    job = Job.objects.select_related("user").get(pk=job_id)
    setattr(job.user, ACTING_ROLE, job.params.get(ACTING_ROLE))
    return job


def job_start(*, task, kind: str, user, params: dict) -> Job:
    """Record a job and enqueue `task` (a Celery task taking the job's id) once committed."""
    job = new_job(kind=kind, user=user, params=params)
    job.save()
    transaction.on_commit(lambda: task.delay(job.pk))
    return job


def job_run(job_id: int, work) -> Job:
    """Run `work(job, stream)` writing the result file; record failure instead of raising."""
    job = load_job(job_id)
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
