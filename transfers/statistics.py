"""Floating members in the statistics (partybuild.statistics): each organization's own party
members with a floating record in force on the date (away on or before it, not yet back)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from members.choices import PARTY_MEMBER_STATUSES
from members.models import MembershipRecord
from partybuild.statistics import StatColumn

from .models import Floating

COLUMNS = [StatColumn("floating", _("floating"), "situation")]


def away_on(day: datetime.date):
    """Floating records in force on the day."""
    in_force = Q(returned_on__isnull=True) | Q(returned_on__gt=day)
    return Floating.objects.filter(in_force, since__lte=day)


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    away = away_on(as_of).filter(member_id=OuterRef("member_id"))
    rows = (
        MembershipRecord.objects.as_of(as_of)
        .filter(organization_id__any_of=set(organization_ids), status__in=PARTY_MEMBER_STATUSES)
        .filter(Exists(away))
        .values("organization_id").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    return {row["organization_id"]: {"floating": row["n"]} for row in rows}
