from celery import shared_task

from partybuild.imports import import_job_run

from .importer import import_as


@shared_task(name="meetings.tasks.meeting_import")
def meeting_import(job_id: int) -> int:
    return import_job_run(job_id, import_as).pk
