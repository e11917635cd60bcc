"""Background jobs: started after the request's transaction commits, run by a worker with the
user's scope applied again, followed on a progress page, their file downloaded by their user.

Every app starts its long exports and imports here; the app gives the Celery task to run.
"""

import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import import_string

from . import replica
from .files import send_file
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


@contextmanager
def running(job_id: int) -> Iterator[Job]:
    """A job's life in the worker, for every kind: running while the block runs, then done
    with what the block left on it (file, result), or failed with the error, which is raised
    again for Celery's own record."""
    job = load_job(job_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=5)
    try:
        yield job
    except ValidationError as exc:  # refused by a service: say why, in the user's words
        job.status, job.error = JobStatus.FAILED, "；".join(exc.messages)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "upload", "finished_at"])
        raise
    except Exception as exc:
        job.status, job.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "upload", "finished_at"])
        raise
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["status", "progress", "file", "upload", "result", "finished_at"])


def job_run(job_id: int, work) -> Job:
    """Run `work(job, stream)`, which writes the file and returns its rows, reading from the
    replica when there is one; keep the file under the job's file name."""
    with running(job_id) as job:
        with tempfile.TemporaryFile() as stream, replica.reads():
            rows = work(job, stream)
            stream.seek(0)
            job.file.save(job.params.get("filename") or f"{job.kind}.xlsx", File(stream),
                          save=False)  # fmt: skip
        job.result = {"rows": rows}
    return job


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def export_filename(title: str, scope: str, day: datetime.date | None = None) -> str:
    """What the file is, for whom and when, in the user's language:
    花名册-第一党委-2026-12-01.xlsx."""
    parts = [str(title), str(scope), (day or timezone.localdate()).isoformat()]
    return "-".join(_NOT_IN_FILE_NAMES.sub("_", p).strip("_") for p in parts if p) + ".xlsx"


def export(request, *, task, kind: str, title: str, scope: str, params: dict, work,
           later: bool, day: datetime.date | None = None) -> HttpResponse:  # fmt: skip
    """Every export is a job its user finds again under 我的导出. A small one is written in
    the request and downloaded at once; a large one (`later`) by a worker, followed on the
    job page."""
    job = new_job(kind=kind, user=request.user, params={
        **params, "title": str(title), "scope": str(scope),
        "filename": export_filename(title, scope, day),
    })  # fmt: skip
    job.save()
    if later:
        transaction.on_commit(lambda: task.delay(job.pk))
        return redirect("jobs:job_detail", pk=job.pk)
    return download(job_run(job.pk, work))


def work_later(request, *, task, kind: str, title: str, scope: str, params: dict):
    """Work too long for a request (not an export): a job whose page shows its progress and
    then opens what it made (the task leaves its address as result["next"])."""
    job = job_start(task=task, kind=kind, user=request.user, params={
        **params, "work": True, "title": str(title), "scope": str(scope)})  # fmt: skip
    return redirect("jobs:job_detail", pk=job.pk)


def set_progress(job: Job, percent: int) -> None:
    Job.objects.filter(pk=job.pk).update(progress=max(5, min(99, percent)))


def download(job: Job) -> HttpResponse:
    name = job.params.get("filename") or job.file.name.rsplit("/", 1)[-1]
    return send_file(job.file, name)


# -- lists as workbooks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A list as it is exported: its columns and every row (not just the page shown)."""

    columns: list
    rows: Iterable


def export_table(request, *, table: str, kind: str, title: str, scope: str, params: dict,
                 rows: int, organization_id: int | None = None) -> HttpResponse:  # fmt: skip
    """An on-screen list as a workbook, audited and listed under 我的导出. `table` names the
    function (module.function) that builds the Table from the job; it runs with the job's
    user acting in the same binding, so the rows are scoped again wherever it runs."""
    from . import audit
    from .models import Action
    from .tasks import table_export

    audit.record(request, Action.EXPORT, summary=str(title), rows=rows,
                 organization_id=organization_id, **params)  # fmt: skip
    return export(
        request, task=table_export, kind=kind, title=title, scope=scope,
        params={**params, "table": table}, work=write_table,
        later=rows > settings.TABLE_EXPORT_INLINE_LIMIT,
    )  # fmt: skip


def write_table(job: Job, stream) -> int:
    from .sheets import write_sheet

    table = import_string(job.params["table"])(job)
    return write_sheet(stream, table.columns, table.rows, title=job.params["title"])
