from celery import shared_task
from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import Member
from partybuild.imports import import_job_run

from . import reminders
from .importer import import_as


@shared_task(name="development.tasks.development_import")
def development_import(job_id: int) -> int:
    return import_job_run(job_id, import_as).pk


@receiver(post_save, sender=Member, dispatch_uid="development-member-changed")
def member_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A departure or an admission: the member's limits may have ended."""
    if update_fields is None or "status" in update_fields:
        reminders.member_changed(instance)
