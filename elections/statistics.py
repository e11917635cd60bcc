"""Elections in the statistics (partybuild.statistics): each organization's approved
elections held in the year up to the date, and whether its term ends within the rules'
months after the date (or has ended: then it is counted among the expired by the foundation's
health flags)."""

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Policy
from partybuild.dates import add_months
from partybuild.statistics import StatColumn

from .models import Election, State

COLUMNS = [
    StatColumn("elections_held", _("elections held in the year"), "elections"),
    StatColumn("terms_ending", _("terms ending within the warning months"), "elections"),
]


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    ids = set(organization_ids)
    result: dict[int, dict[str, int]] = {}
    held = (
        Election.objects.filter(organization_id__any_of=ids, state=State.APPROVED,
                                meeting__on__gte=datetime.date(as_of.year, 1, 1),
                                meeting__on__lte=as_of)
        .values("organization_id").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    for row in held:
        result[row["organization_id"]] = {"elections_held": row["n"]}
    until = add_months(as_of, Policy.current().election_warning_months)
    ending = (
        Organization.objects.active()
        .filter(pk__any_of=ids, term_ends_on__gte=as_of, term_ends_on__lte=until)
        .values_list("pk", flat=True)
    )
    for org_id in ending:
        result.setdefault(org_id, {})["terms_ending"] = 1
    return result
