"""Reporting to residential communities in the statistics (partybuild.statistics): each
organization's own party members in service on the date (not retired, not students), those
of them with a report to a community in force on the date, and the community evaluations of
the date's year of its party members, by grade."""

import datetime

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from members.choices import PARTY_MEMBER_STATUSES
from members.models import MembershipRecord
from partybuild.statistics import StatColumn

from .models import NOT_IN_SERVICE, Grade, Report

GRADE_COLUMNS = {g: f"comm_eval_{g.value}" for g in Grade}
COLUMNS = [
    StatColumn("comm_in_service", _("party members in service"), "community"),
    StatColumn("comm_reported", _("in service and reported to a community"), "community"),
    *[StatColumn(name, grade.label, "community_evaluation")
      for grade, name in GRADE_COLUMNS.items()],
]  # fmt: skip


def reported_on(day: datetime.date):
    """Reports in force on the day."""
    return Report.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day),
                                 reported_on__lte=day)  # fmt: skip


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """One grouped scan of the records in force: the report tested once per member (a
    member's reports may overlap on a day), the year's evaluation joined (one at most)."""
    year = Q(member__community_evaluations__year=as_of.year)
    members = (
        MembershipRecord.objects.as_of(as_of)
        .filter(organization_id__any_of=set(organization_ids), status__in=PARTY_MEMBER_STATUSES)
        .annotate(evaluation=FilteredRelation("member__community_evaluations", condition=year),
                  reported=Exists(reported_on(as_of).filter(member_id=OuterRef("member_id"))))
    )  # fmt: skip
    in_service = Q(member__is_retired=False) & ~Q(member__occupation__in=NOT_IN_SERVICE)
    graded = {name: Count("id", filter=Q(evaluation__grade=grade))
              for grade, name in GRADE_COLUMNS.items()}  # fmt: skip
    rows = (
        members.values("organization_id")
        .annotate(comm_in_service=Count("id", filter=in_service),
                  comm_reported=Count("id", filter=in_service & Q(reported=True)), **graded)
        .order_by()
    )  # fmt: skip
    result = {}
    for row in rows:
        org_id = row.pop("organization_id")
        own = {name: int(n) for name, n in row.items() if n}
        if own:
            result[org_id] = own
    return result
