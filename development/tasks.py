from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from organizations.models import Policy

from . import reminders


@shared_task(name="development.tasks.rebuild_reminders")
def rebuild_reminders() -> int:
    with transaction.atomic():
        return reminders.rebuild()


@receiver(post_save, sender=Policy, dispatch_uid="development-rules-changed")
def rules_changed(sender, instance, **kwargs) -> None:
    """Time limits may have changed: work everyone's reminders out again, once committed."""
    transaction.on_commit(rebuild_reminders.delay)
