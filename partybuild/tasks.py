from celery import shared_task

from .jobs import job_run, write_table


@shared_task(name="partybuild.tasks.table_export")
def table_export(job_id: int) -> int:
    """A list exported by a worker (partybuild.jobs.export_table)."""
    return job_run(job_id, write_table).pk
