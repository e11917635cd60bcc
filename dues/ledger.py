"""The dues ledger: one row per member and month owed (dues.models.Due), kept in step with
the registry and the bases.

A month's row is opened once the month has begun (or earlier, when a payment covers it in
advance); it takes the amount of the basis in force and the member's branch. Unpaid months
follow the member when they move (the new branch collects them, as a transfer letter carries
the "paid up to" month); paid months stay with the branch that collected them. The
ledger of a member starts with their first basis: without a basis there is no amount to owe.
Paid rows are history and never change; unpaid rows follow the registry (a member who left
stops owing) and the bases (a corrected basis changes what is still owed).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from members.models import Member

from . import arrears, totals
from .models import Basis, Due
from .owing import OWING, Facts, month_of, next_month

BATCH = 2000


def sync(member: Member, through: datetime.date | None = None, *, derived: bool = True):
    return sync_many([member.pk], through, derived=derived)


@transaction.atomic
def sync_many(member_ids: Iterable[int], through: datetime.date | None = None, *,
              derived: bool = True) -> set[tuple[int, datetime.date]]:  # fmt: skip
    """Open the owed months up to `through` (this month by default), re-price and drop the
    unpaid ones that no longer follow from the records and bases; then recount the month
    totals and the standings (derived=False leaves that to a caller about to change the
    rows again, and returns the (organization, month) pairs touched)."""
    ids = list(member_ids)
    last = month_of(through or timezone.localdate())
    facts = Facts(ids)
    bases = _bases(ids)
    existing = defaultdict(dict)
    for due in Due.objects.filter(member_id__in=ids):
        existing[due.member_id][due.month] = due
    new, changed, gone = [], [], []
    touched: set[tuple[int, datetime.date]] = set()
    for member_id in ids:
        member_bases = bases.get(member_id)
        if not member_bases:
            continue
        have = existing.get(member_id, {})
        first = member_bases[0].starts
        if member_id in facts.paid_up_to:  # arrears brought on a transfer come with it
            first = min(first, next_month(facts.paid_up_to[member_id]))
        owed = facts.owed(member_id, first, max([last, *have]))
        collects = facts.organization_now(member_id)
        for month in owed:
            organization_id = collects  # what is still owed, the member's branch collects
            if month > last and month not in have:
                continue  # opened ahead only by a payment
            amount = _in_force(member_bases, month).amount
            due = have.get(month)
            if due is None:
                new.append(Due(member_id=member_id, month=month,
                               organization_id=organization_id, amount=amount))  # fmt: skip
            elif due.paid_on is None and (due.amount, due.organization_id) != (
                amount,
                organization_id,
            ):
                touched.add((due.organization_id, month))
                due.amount, due.organization_id = amount, organization_id
                changed.append(due)
        gone += [d for m, d in have.items() if d.paid_on is None and m not in owed]
    Due.objects.bulk_create(new, batch_size=BATCH)
    Due.objects.bulk_update(changed, ["amount", "organization"], batch_size=BATCH)
    Due.objects.filter(pk__in=[d.pk for d in gone]).delete()
    touched.update((d.organization_id, d.month) for d in [*new, *changed, *gone])
    if derived:
        totals.recount(touched)
        arrears.refresh_members(ids)
    return touched


def _bases(member_ids: list[int]) -> dict[int, list[Basis]]:
    bases = defaultdict(list)
    for basis in Basis.objects.filter(member_id__in=member_ids).order_by("member_id", "starts"):
        bases[basis.member_id].append(basis)
    return bases


def _in_force(bases: list[Basis], month: datetime.date) -> Basis:
    """The latest basis starting in or before the month (the first one for earlier months,
    which the ledger never opens)."""
    chosen = bases[0]
    for basis in bases:
        if basis.starts > month:
            break
        chosen = basis
    return chosen


def open_month(through: datetime.date | None = None) -> int:
    """Open the months up to `through` for every member who owes, then store every
    standing as of the new month: the nightly task. Returns the number of members looked
    at."""
    members = Member.objects.filter(status__in=OWING).order_by("pk").values_list("pk", flat=True)
    last_pk, seen = 0, 0
    while chunk := list(members.filter(pk__gt=last_pk)[:BATCH]):
        last_pk = chunk[-1]
        sync_many(chunk, through)
        seen += len(chunk)
    arrears.refresh_all(through or timezone.localdate())
    totals.recount_all()  # a safety net: the day's changes recounted them already
    return seen
