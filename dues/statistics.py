"""Party dues in the statistics (partybuild.statistics): each organization's own dues of the
year up to the date, owed and paid, in fen (exact integers), by month and in all; and its
members with six or more consecutive months unpaid without good reason."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partybuild.statistics import StatColumn

from .arrears import arrears_where
from .models import Due, MonthTotal
from .totals import fen_sum

MONTHS = range(1, 13)
COLUMNS = [
    StatColumn("dues_owed", _("dues owed (fen)"), "dues", big=True),
    StatColumn("dues_paid", _("dues paid (fen)"), "dues", big=True),
    StatColumn("dues_arrears6", _("members six months or more in arrears"), "dues"),
    *[StatColumn(f"dues_owed_m{m:02d}", format_lazy(_("dues owed, month {month}"), month=m),
                 "dues_months", big=True) for m in MONTHS],
    *[StatColumn(f"dues_paid_m{m:02d}", format_lazy(_("dues paid, month {month}"), month=m),
                 "dues_months", big=True) for m in MONTHS],
]  # fmt: skip


OWED_KEYS = {m: f"dues_owed_m{m:02d}" for m in MONTHS}
PAID_KEYS = {m: f"dues_paid_m{m:02d}" for m in MONTHS}


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """Months of the year that have begun by the date; paid means paid by the date."""
    year = {"month__gte": datetime.date(as_of.year, 1, 1), "month__lte": as_of}
    ids = set(organization_ids)  # a set: handed to the lookup as it is (partybuild.lookups)
    if as_of >= timezone.localdate():  # every payment is dated today or earlier
        rows = MonthTotal.objects.filter(organization_id__any_of=ids, **year).values_list(
            "organization_id", "month", "owed", "paid"
        )
    else:
        rows = (
            Due.objects.filter(organization_id__any_of=ids, **year)
            .values("organization_id", "month")
            .annotate(owed=fen_sum(), paid=fen_sum(filter=Q(paid_on__lte=as_of)))
            .order_by().values_list("organization_id", "month", "owed", "paid")
        )  # fmt: skip
    result: dict[int, dict[str, int]] = {}
    for org_id, month, owed, paid in rows:
        own = result.get(org_id)
        if own is None:
            own = result[org_id] = {"dues_owed": 0, "dues_paid": 0}
        paid = paid or 0
        own[OWED_KEYS[month.month]] = owed
        own[PAID_KEYS[month.month]] = paid
        own["dues_owed"] += owed
        own["dues_paid"] += paid
    for row in arrears_where(as_of, organization_id__any_of=ids):
        if row.listed:
            own = result.setdefault(row.organization_id, {})
            own["dues_arrears6"] = own.get("dues_arrears6", 0) + 1
    return result
