"""Floating members in the statistics (partybuild.statistics): each organization's own party
members with a floating record in force on the date (away on or before it, not yet back),
counted by the engine in its scan of the members in force."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partybuild.statistics import StatColumn

from .models import Floating

AWAY = (
    f"m.id IN (SELECT f.member_id FROM {Floating._meta.db_table} f "
    "WHERE f.since <= %s AND (f.returned_on IS NULL OR f.returned_on > %s))"
)
COLUMNS = [
    StatColumn("floating", _("floating"), "situation", sql=AWAY,
               params=lambda day: [day.isoformat()] * 2),
]  # fmt: skip


def away_on(day: datetime.date):
    """Floating records in force on the day (the same condition, for the lists)."""
    in_force = Q(returned_on__isnull=True) | Q(returned_on__gt=day)
    return Floating.objects.filter(in_force, since__lte=day)


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    return {}  # every column is a condition the engine counts
