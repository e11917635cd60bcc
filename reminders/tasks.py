from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import Member
from organizations.models import Policy

from . import services
from .sources import sources


@shared_task(name="reminders.tasks.rebuild_reminders")
def rebuild_reminders(source: str | None = None) -> int:
    with transaction.atomic():
        return services.rebuild(source)


@shared_task(name="reminders.tasks.rebuild_timed")
def rebuild_timed() -> int:
    """Nightly: the rows that follow the calendar (a new month's meetings) move on."""
    with transaction.atomic():
        return sum(services.rebuild(s.name) for s in sources().values() if s.timed)


@receiver(post_save, sender=Policy, dispatch_uid="reminders-rules-changed")
def rules_changed(sender, instance, created=False, **kwargs) -> None:
    """Time limits may have changed: work every reminder out again, once committed.

    The row's creation with the defaults (Policy.current() on a new database) changes
    nothing: the defaults are what every reminder was worked out with.
    """
    if not (created and _defaults(instance)):
        transaction.on_commit(rebuild_reminders.delay)


def _defaults(policy: Policy) -> bool:
    fresh = Policy(pk=policy.pk)
    rules = [f for f in Policy._meta.concrete_fields if f.has_default()]  # not the timestamp
    return all(getattr(fresh, f.attname) == getattr(policy, f.attname) for f in rules)


@receiver(post_save, sender=Member, dispatch_uid="reminders-member-moved")
def member_moved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is None or "organization" in update_fields:
        services.member_moved(instance)
