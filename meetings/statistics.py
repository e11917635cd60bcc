"""Organizational life in the statistics (partybuild.statistics): each organization's own
meetings held in the year up to the date, by kind; the periods its branches were required to
hold and held (compliance); and attendance summed over its meetings."""

import datetime

from django.db.models import Count, F, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from organizations.models import BRANCH_KINDS, Organization
from partybuild.statistics import StatColumn

from .compliance import branch_tallies
from .models import Kind, Meeting

KINDS = [k for k in Kind if k != Kind.OTHER]
COLUMNS = [
    *[StatColumn(f"mtg_{k.value}", k.label, "meetings") for k in KINDS],
    StatColumn("mtg_required", _("meetings required"), "meetings_compliance"),
    StatColumn("mtg_held", _("meetings required and held"), "meetings_compliance"),
    StatColumn("mtg_should", _("should attend (all meetings)"), "meetings_attendance"),
    StatColumn("mtg_present", _("present (all meetings)"), "meetings_attendance"),
    # The same by the month a period ends in: the compliance matrix of a subtree reads them.
    *[StatColumn(f"mtg_req_m{m:02d}", format_lazy(_("meetings required, month {month}"),
                                                   month=m), "meetings_months")
      for m in range(1, 13)],
    *[StatColumn(f"mtg_held_m{m:02d}", format_lazy(_("meetings held, month {month}"), month=m),
                 "meetings_months") for m in range(1, 13)],
]  # fmt: skip


REQUIRED_KEYS = [f"mtg_req_m{m:02d}" for m in range(1, 13)]
HELD_KEYS = [f"mtg_held_m{m:02d}" for m in range(1, 13)]


def queries(as_of: datetime.date, organization_ids: list[int]) -> list:
    """The meetings held in the year up to the date, by kind, and their attendance: counted
    in the database, joined into the figures as they are."""
    held = Meeting.objects.filter(
        organization_id__any_of=set(organization_ids), held=True,
        on__gte=datetime.date(as_of.year, 1, 1), on__lte=as_of,
    )  # fmt: skip
    by_kind = {f"mtg_{k.value}": Count("id", filter=Q(kind=k)) for k in KINDS}
    return [
        held.values("organization_id").annotate(
            **by_kind, mtg_should=Sum(F("should_attend") - F("excluded")),
            mtg_present=Sum("present"),
        ).order_by()
    ]  # fmt: skip


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """The branches' compliance: required and held periods, in all and by month."""
    part = Organization.objects.filter(pk__any_of=set(organization_ids))  # one value
    result: dict[int, dict[str, int]] = {}
    branches = part.filter(kind__in=BRANCH_KINDS, status="active").values_list("pk", flat=True)
    for org_id, compliance in branch_tallies(list(branches), as_of.year, as_of).items():
        own = result[org_id] = dict(
            zip(REQUIRED_KEYS, compliance.required_by_month[1:], strict=True)
        )
        own.update(zip(HELD_KEYS, compliance.held_by_month[1:], strict=True))
        own.update(mtg_required=compliance.required, mtg_held=compliance.held)
    return result
