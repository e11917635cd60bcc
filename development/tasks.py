from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import Member
from organizations.models import Policy
from partybuild.imports import import_job_run

from . import reminders
from .importer import import_as


@shared_task(name="development.tasks.development_import")
def development_import(job_id: int) -> int:
    return import_job_run(job_id, import_as).pk


@shared_task(name="development.tasks.rebuild_reminders")
def rebuild_reminders() -> int:
    with transaction.atomic():
        return reminders.rebuild()


@receiver(post_save, sender=Policy, dispatch_uid="development-rules-changed")
def rules_changed(sender, instance, **kwargs) -> None:
    """Time limits may have changed: work everyone's reminders out again, once committed."""
    transaction.on_commit(rebuild_reminders.delay)


@receiver(post_save, sender=Member, dispatch_uid="development-member-changed")
def member_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A move or a departure: the member's reminders follow (see Reminder.organization)."""
    if update_fields is None or {"organization", "status"} & set(update_fields):
        reminders.member_changed(instance)
