"""Party dues in the statistics (partybuild.statistics): each organization's own dues of the
year up to the date, owed and paid, in fen (exact integers), by month and in all; and its
members with six or more consecutive months unpaid without good reason."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from organizations.models import Policy
from partybuild.statistics import StatColumn

from .arrears import arrears_where
from .models import Due, MonthTotal, Standing, StandingRefresh
from .owing import OWING, month_of
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


def queries(as_of: datetime.date, organization_ids: list[int]) -> list:
    """Owed and paid in the months of the year that have begun by the date, in all and by
    month; paid means paid by the date. Counted in the database, joined into the figures as
    they are: from the kept month totals for today (every payment is dated today or
    earlier), else from the ledger."""
    ids = set(organization_ids)  # a set: handed to the lookup as it is (partybuild.lookups)
    firsts = {m: datetime.date(as_of.year, m, 1) for m in MONTHS if m <= as_of.month}
    if as_of >= timezone.localdate():
        rows = MonthTotal.objects.all()

        def owed(month=None):
            return Sum("owed", filter=Q(month=month) if month else None)

        def paid(month=None):
            return Sum("paid", filter=Q(month=month) if month else None)
    else:
        rows = Due.objects.all()

        def owed(month=None):
            return fen_sum(filter=Q(month=month) if month else None)

        def paid(month=None):
            return fen_sum(filter=Q(paid_on__lte=as_of) & (Q(month=month) if month else Q()))

    by_month = {}
    for m, first in firsts.items():
        by_month[OWED_KEYS[m]] = owed(first)
        by_month[PAID_KEYS[m]] = paid(first)
    dues = (
        rows.filter(organization_id__any_of=ids, month__gte=firsts[1], month__lte=as_of)
        .values("organization_id")
        .annotate(dues_owed=owed(), dues_paid=paid(), **by_month)
        .order_by()
    )
    return [dues, _stored_arrears(ids)] if _standings_hold(as_of) else [dues]


def _standings_hold(as_of: datetime.date) -> bool:
    """Whether the stored standings (dues.arrears) are those of the date: today, once they
    have been refreshed for this month (the nightly task does it when a month closes)."""
    today = timezone.localdate()
    return as_of >= today and StandingRefresh.objects.filter(month=month_of(today)).exists()


def _stored_arrears(ids: set[int]):
    """Members six or more consecutive months in arrears without good reason, from the
    stored standings: kept for each member whenever their ledger, reasons or decisions
    change, or they move or leave. The limit is today's rule, not the one of the refresh.
    Counting the ledger's unpaid months of a city took 1.3 s."""
    limit = Policy.current().dues_arrears_months
    return (
        Standing.objects.filter(organization_id__any_of=ids, member__status__in=OWING,
                                running__gte=limit, excuse__isnull=True)
        .values("organization_id").annotate(dues_arrears6=Count("pk")).order_by()
    )  # fmt: skip


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """Members six or more consecutive months in arrears without good reason, where the
    stored standings are not those of the date: counted from the ledger."""
    if _standings_hold(as_of):
        return {}
    ids = set(organization_ids)
    result: dict[int, dict[str, int]] = {}
    for row in arrears_where(as_of, organization_id__any_of=ids):
        if row.listed:
            own = result.setdefault(row.organization_id, {})
            own["dues_arrears6"] = own.get("dues_arrears6", 0) + 1
    return result
