"""Spreadsheet imports from the pages: bounded, audited, and run as a job when long.

A page hands over its valid upload form, the import to run (a function of the file and the
importing user, which applies that user's scope itself) and the Celery task that runs the
same import in a worker. Short files are imported in the request; files of more than
IMPORT_INLINE_LIMIT lines are stored, imported by a worker, and followed on the job page,
so no request runs past the server's timeout.
"""

from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction

from . import audit, sheets
from .jobs import new_job, running
from .models import Action, Job
from .sheets import ImportResult

Importer = Callable[[BinaryIO, object], ImportResult]


def handle_import(request, upload, *, kind: str, run: Importer, task) -> ImportResult | Job:
    """The import's result when it ran here, or the job that will run it."""
    try:
        lines = sheets.count_lines(upload)
    except sheets.SheetError as exc:
        result = ImportResult.refused(exc)
        audit.record(request, Action.IMPORT, summary=kind, refused=str(exc))
        return result
    if lines > settings.IMPORT_INLINE_LIMIT:
        job = new_job(kind=kind, user=request.user, params={"lines": lines})
        job.upload.save(f"{kind}.xlsx", File(upload), save=False)
        job.save()
        audit.record(request, Action.IMPORT, summary=kind, lines=lines, job=job.pk)
        transaction.on_commit(lambda: task.delay(job.pk))
        return job
    result = run(upload, request.user)
    audit.record(
        request, Action.IMPORT, summary=kind, lines=lines, created=result.created,
        errors=result.total_errors,
    )  # fmt: skip
    return result


def import_page(request, form, *, kind: str, run: Importer, task, template: str, done: str,
                next_url: str):  # fmt: skip
    """The page of an import: its upload form; a valid upload is imported here or by a job
    (whose page follows it); a clean import goes on to `next_url` saying `done`, a message
    with %(count)s; a refused one comes back with every error by line."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    result = None
    if request.method == "POST" and form.is_valid():
        result = handle_import(request, form.cleaned_data["file"], kind=kind, run=run, task=task)
        if isinstance(result, Job):
            return redirect("jobs:job_detail", pk=result.pk)
        if result.ok:
            messages.success(request, done % {"count": result.created})
            return redirect(next_url)
    return render(request, template, {"form": form, "result": result})


def import_job_run(job_id: int, run: Importer) -> Job:
    """In the worker: import the stored file as the job's user, keep the outcome, and
    delete the file (it holds personal data and is not needed any more)."""
    with running(job_id) as job:
        try:
            with job.upload.open("rb") as stream:
                result = run(stream, job.user)
        finally:
            job.upload.delete(save=False)
        job.result = result.as_dict()
        audit.record(
            None, Action.IMPORT, user=job.user, summary=job.kind, job=job.pk,
            created=result.created, errors=result.total_errors,
        )  # fmt: skip
    return job
