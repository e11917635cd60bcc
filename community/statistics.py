"""Reporting to residential communities in the statistics (partybuild.statistics): each
organization's own party members in service on the date (neither retired nor students),
those of them with a report to a community in force on the date, and the community
evaluations of the date's year of its party members, by grade. Every column is a condition
the engine counts in its scan of the members in force."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partybuild.choices import Rating
from partybuild.statistics import StatColumn

from .models import NOT_IN_SERVICE, Evaluation, Report

IN_SERVICE = "NOT m.is_retired AND m.occupation NOT IN ({})".format(
    ", ".join(f"'{o.value}'" for o in NOT_IN_SERVICE)
)
REPORTED = (
    f"m.id IN (SELECT c.member_id FROM {Report._meta.db_table} c "
    "WHERE c.reported_on <= %s AND (c.ended_on IS NULL OR c.ended_on > %s))"
)
GRADED = (
    f"m.id IN (SELECT e.member_id FROM {Evaluation._meta.db_table} e "
    "WHERE e.year = %s AND e.grade = %s)"
)
GRADE_COLUMNS = {g: f"comm_eval_{g.value}" for g in Rating}


def _graded(grade: Rating) -> StatColumn:
    return StatColumn(GRADE_COLUMNS[grade], grade.label, "community_evaluation", sql=GRADED,
                      params=lambda day: [day.year, grade.value])  # fmt: skip


COLUMNS = [
    StatColumn("comm_in_service", _("party members in service"), "community", sql=IN_SERVICE),
    StatColumn("comm_reported", _("in service and reported to a community"), "community",
               sql=f"{IN_SERVICE} AND {REPORTED}", params=lambda day: [day.isoformat()] * 2),
    *[_graded(grade) for grade in Rating],
]  # fmt: skip


def reported_on(day: datetime.date):
    """Reports in force on the day (the same condition, for the lists)."""
    return Report.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day),
                                 reported_on__lte=day)  # fmt: skip


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    return {}  # every column is a condition the engine counts
