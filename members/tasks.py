from celery import shared_task

from organizations import access
from partybuild.imports import import_job_run
from partybuild.jobs import job_filename, job_run

from . import roster
from .filters import MemberFilter
from .models import Member


def _write_roster(job, stream) -> str:
    """The job user's filtered roster, scoped again inside the worker."""
    member_filter = MemberFilter(
        job.params,
        queryset=access.scoped(Member.objects.all(), job.user),
        organizations=access.visible_organizations(job.user),
    )
    roster.write_roster(stream, member_filter.qs)
    return job_filename("roster")


@shared_task(name="members.tasks.roster_import")
def roster_import(job_id: int) -> int:
    return import_job_run(job_id, roster.import_as).pk


@shared_task(name="members.tasks.roster_export")
def roster_export(job_id: int) -> int:
    return job_run(job_id, _write_roster).pk
