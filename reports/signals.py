"""What changes the statistics: saving or deleting these schedules a recompute."""

from django.db.models.signals import post_delete, post_save

from meetings.models import Meeting
from members.models import Member, MembershipRecord
from organizations.models import Organization, Position

WATCHED = [Member, MembershipRecord, Organization, Position, Meeting]


def _changed(sender, **kwargs) -> None:
    from .tasks import data_changed

    data_changed()


def connect() -> None:
    for model in WATCHED:
        uid = f"stats-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
