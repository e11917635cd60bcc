from celery import shared_task

from organizations import access
from partybuild.imports import import_job_run
from partybuild.jobs import job_run

from . import roster
from .filters import MemberFilter
from .models import Member


def write_roster(job, stream) -> int:
    """The job user's filtered roster, scoped again where it is written; returns its rows."""
    member_filter = MemberFilter(
        job.params.get("filters", {}),
        queryset=access.scoped(Member.objects.all(), job.user),
        organizations=access.visible_organizations(job.user),
    )
    return roster.write_roster(stream, member_filter.qs)


@shared_task(name="members.tasks.roster_import")
def roster_import(job_id: int) -> int:
    return import_job_run(job_id, roster.import_as).pk


@shared_task(name="members.tasks.roster_export")
def roster_export(job_id: int) -> int:
    return job_run(job_id, write_roster).pk
