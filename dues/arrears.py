"""Arrears: the months a member owes and has not paid, once the month is over, and the
six-month rule (domain.md section 4: six consecutive months unpaid without good reason and
the member is treated as having left the party).

Only the unpaid rows of the ledger are read (a partial index keeps them apart), then the
last paid month of just the members found, so the list costs the size of the arrears, not
of the ledger.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, QuerySet

from members.models import Member
from organizations.models import Policy

from .models import Due, Excuse, Lapse
from .owing import month_of


@dataclass
class Arrears:
    member_id: int
    months: list[datetime.date] = field(default_factory=list)
    amount: Decimal = Decimal("0.00")
    running: int = 0  # consecutive unpaid months up to the last month that is over
    run_from: datetime.date | None = None
    excuse: Excuse | None = None
    lapse: Lapse | None = None
    listed: bool = False  # under the six-month rule, for the branch to decide
    member: Member | None = None
    organization_id: int | None = None  # the member's organization now

    @property
    def oldest(self) -> datetime.date:
        return self.months[0]

    @property
    def count(self) -> int:
        return len(self.months)


def arrears_of(members: QuerySet[Member], today: datetime.date, *,
               with_people: bool = True) -> list[Arrears]:  # fmt: skip
    """Members of the queryset with unpaid months before this month, oldest debt first
    (with the Member objects unless with_people is False)."""
    this_month = month_of(today)
    unpaid = (
        Due.objects.filter(paid_on__isnull=True, month__lt=this_month,
                           member_id__in=members.values("pk"))
        .order_by("member_id", "month").values_list("member_id", "month", "amount")
    )  # fmt: skip
    found: dict[int, Arrears] = {}
    for member_id, month, amount in unpaid:
        row = found.setdefault(member_id, Arrears(member_id))
        row.months.append(month)
        row.amount += amount
    if not found:
        return []
    ids = list(found)
    last_paid = dict(
        Due.objects.filter(member_id__any_of=ids, paid_on__isnull=False, month__lt=this_month)
        .values("member_id").annotate(last=Max("month")).order_by()
        .values_list("member_id", "last")
    )  # fmt: skip
    excuses = defaultdict(list)
    for excuse in Excuse.objects.filter(member_id__any_of=ids).order_by("-from_month"):
        excuses[excuse.member_id].append(excuse)
    lapses = {lapse.member_id: lapse for lapse in Lapse.objects.filter(
        member_id__any_of=ids).exclude(outcome=Lapse.Outcome.RETURNED).order_by("id")}  # fmt: skip
    limit = Policy.current().dues_arrears_months
    last_over = max(m for row in found.values() for m in row.months)
    people = Member.objects.select_related("organization").in_bulk(ids) if with_people else {}
    where = dict(Member.objects.filter(pk__any_of=ids).values_list("pk", "organization_id"))
    for row in found.values():
        paid = last_paid.get(row.member_id)
        run = [m for m in row.months if paid is None or m > paid]
        row.running, row.run_from = len(run), (run[0] if run else None)
        last = run[-1] if run else last_over
        row.excuse = next((e for e in excuses[row.member_id] if e.covers(last)), None)
        row.lapse = lapses.get(row.member_id)
        row.listed = row.running >= limit and row.excuse is None
        row.member = people.get(row.member_id)
        row.organization_id = where.get(row.member_id)
    return sorted(found.values(), key=lambda r: (r.oldest, r.member_id))


def arrears_of_member(member: Member, today: datetime.date) -> Arrears | None:
    rows = arrears_of(Member.objects.filter(pk=member.pk), today)
    return rows[0] if rows else None
