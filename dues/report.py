"""The collection report of an organization: per subordinate organization owed, paid,
outstanding and the collection rate, for a month and for the year so far; and the
organization's own months. Read from the statistics snapshot (partybuild.statistics) when
there is one for the year, so the working committee's page costs the same as a branch's;
counted from the ledger otherwise."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from organizations import access
from organizations.models import Organization
from partybuild.statistics import snapshot_counts

from .collection import Totals
from .models import Due
from .statistics import COLUMNS, MONTHS
from .totals import fen_sum

NAMES = [c.name for c in COLUMNS]


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


@dataclass
class Line:
    organization: Organization
    counts: dict[str, int] = field(default_factory=dict)
    chosen: int = 1  # the month the page shows

    @property
    def month_totals(self) -> Totals:
        return self.month(self.chosen)

    def month(self, m: int) -> Totals:
        return Totals(0, 0, yuan(self.counts.get(f"dues_owed_m{m:02d}", 0)),
                      yuan(self.counts.get(f"dues_paid_m{m:02d}", 0)))  # fmt: skip

    @property
    def year(self) -> Totals:
        return Totals(0, 0, yuan(self.counts.get("dues_owed", 0)),
                      yuan(self.counts.get("dues_paid", 0)))  # fmt: skip

    @property
    def arrears6(self) -> int:
        return self.counts.get("dues_arrears6", 0)


@dataclass
class CollectionReport:
    lines: list[Line]
    total: Line
    as_of: datetime.date | None  # the snapshot's date; None when counted live

    def months(self) -> list[tuple[int, Totals]]:
        return [(m, self.total.month(m)) for m in MONTHS]


def collection_report(user, organization: Organization, month: datetime.date,
                      today: datetime.date) -> CollectionReport:  # fmt: skip
    children = list(access.scoped(organization.children.filter(status="active"), user,
                                  via="self").order_by("code"))  # fmt: skip
    ids = [organization.pk, *(c.pk for c in children)]
    day = today if month.year == today.year else datetime.date(month.year, 12, 31)
    found = snapshot_counts(ids, day, NAMES)
    if found is not None:
        as_of, counts = found
    else:
        as_of, counts = None, _live_counts(ids, month.year, day)
    lines = [Line(c, counts.get(c.pk, {}), month.month) for c in children]
    total = Line(organization, counts.get(organization.pk, {}), month.month)
    return CollectionReport(lines, total, as_of)


def _live_counts(ids: list[int], year: int, day: datetime.date) -> dict[int, dict[str, int]]:
    """The subtree sums of the organizations, from the ledger (arrears not counted)."""
    rows = (
        Due.objects.filter(month__year=year, month__lte=day,
                           organization__ancestor_links__ancestor_id__in=ids)
        .values("organization__ancestor_links__ancestor_id", "month")
        .annotate(owed=fen_sum(), paid=fen_sum(filter=Q(paid_on__lte=day)))
        .order_by()
    )  # fmt: skip
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        own = counts[row["organization__ancestor_links__ancestor_id"]]
        owed, paid = row["owed"] or 0, row["paid"] or 0
        own[f"dues_owed_m{row['month'].month:02d}"] += owed
        own[f"dues_paid_m{row['month'].month:02d}"] += paid
        own["dues_owed"] += owed
        own["dues_paid"] += paid
    return counts
