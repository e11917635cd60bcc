"""The ledger follows the registry: a status change, a move or a departure re-prices and
drops the member's unpaid months in the same transaction."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import MembershipRecord

from . import ledger
from .models import Basis


@receiver(post_save, sender=MembershipRecord, dispatch_uid="dues_follow_the_registry")
def follow_the_registry(sender, instance: MembershipRecord, **kwargs) -> None:
    if Basis.objects.filter(member_id=instance.member_id).exists():
        ledger.sync_many([instance.member_id])
