from celery import shared_task
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organizations.models import Organization, Position
from partybuild.imports import import_job_run

from . import reminders
from .importer import import_as


@shared_task(name="meetings.tasks.meeting_import")
def meeting_import(job_id: int) -> int:
    return import_job_run(job_id, import_as).pk


@receiver(post_save, sender=Position, dispatch_uid="meetings-committee-changed")
@receiver(post_delete, sender=Position, dispatch_uid="meetings-committee-removed")
def committee_changed(sender, instance, **kwargs) -> None:
    """A post filled or ended may make or unmake the branch's committee."""
    reminders.refresh(instance.organization)


@receiver(post_save, sender=Organization, dispatch_uid="meetings-organization-changed")
def organization_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A new branch owes its meetings; a dissolved one (or one no longer a branch) none."""
    if update_fields is None or {"status", "kind"} & set(update_fields):
        reminders.refresh(instance)
