"""A term set or changed on the organization's page moves its reminder."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from organizations.models import Organization

from . import reminders


@receiver(post_save, sender=Organization, dispatch_uid="elections_term_reminder")
def term_changed(sender, instance: Organization, created: bool, update_fields=None, **kwargs):
    fields = {"term_elected_on", "term_years", "term_ends_on", "status"}
    if update_fields is None or fields & set(update_fields):
        reminders.refresh(instance)
