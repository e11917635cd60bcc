"""Secretaries' reports in the statistics (partybuild.statistics): each organization's report
of the date's year, evaluated by the date, by grade."""

import datetime

from django.db.models import Count, Q

from partybuild.choices import Rating
from partybuild.statistics import StatColumn

from .models import Report

GRADE_COLUMNS = {g: f"sec_{g.value}" for g in Rating}
COLUMNS = [StatColumn(name, grade.label, "secretary_reports")
           for grade, name in GRADE_COLUMNS.items()]  # fmt: skip


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Report.objects.filter(organization_id__any_of=set(organization_ids), year=as_of.year,
                              evaluated_on__lte=as_of)
        .values("organization_id")
        .annotate(**{name: Count("id", filter=Q(grade=grade))
                     for grade, name in GRADE_COLUMNS.items()})
        .order_by()
    )  # fmt: skip
    return {row.pop("organization_id"): {k: v for k, v in row.items() if v} for row in rows}
