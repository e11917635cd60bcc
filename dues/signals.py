"""The ledger follows the registry: a status change, a move or a departure re-prices and
drops the member's unpaid months in the same transaction; the stored standing follows the
member's organization."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import Member, MembershipRecord

from . import ledger
from .models import Basis, Standing


@receiver(post_save, sender=MembershipRecord, dispatch_uid="dues_follow_the_registry")
def follow_the_registry(sender, instance: MembershipRecord, **kwargs) -> None:
    if Basis.objects.filter(member_id=instance.member_id).exists():
        ledger.sync_many([instance.member_id])


@receiver(post_save, sender=Member, dispatch_uid="dues_standing_follows_the_member")
def standing_follows_the_member(sender, instance: Member, update_fields=None, **kwargs) -> None:
    """A move saves the member's organization after the new record, whose signal stored the
    standing under the organization of before: the standing moves with the member."""
    if update_fields is None or "organization" in update_fields:
        Standing.objects.filter(member_id=instance.pk).exclude(
            organization_id=instance.organization_id
        ).update(organization_id=instance.organization_id)
