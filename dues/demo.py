"""The demo's party dues: every full and probationary member's basis for the year, and the
year's payments up to today, with realistic arrears in a few branches.

Most branches collect a quarter ahead (one receipt covering three months, paid on the 8th
of the quarter's first month); one branch in ten collects monthly, on the 8th to the 17th,
so this month's grid is still being filled. In one branch in nine, one member in five stopped
paying in July (five or more months behind) and one in fifteen in April (six or more: under
the six-month rule), one of those with an illness recorded as a good reason; one member in
fifty pays ten yuan a month more than the rules ask.

The large dataset has 3.8 million ledger rows (one per member and month, as the app keeps
them) and about 1.5 million receipts, loaded with COPY in chunks of members, their keys
checked and indexes built once at the end (partybuild.bulk.bulk_load).
"""

import datetime
import random
from decimal import Decimal

from members.choices import Occupation
from members.models import Member, MembershipRecord
from organizations.models import Policy
from partybuild.bulk import bulk_load, copy_rows, reset_sequences

from . import arrears, totals
from .models import Basis, Due, Excuse, Payment
from .owing import OWING, add_months, month_of
from .rules import Category, rule_amount

CHUNK = 20_000  # members per COPY
VOLUNTARY = Decimal("10.00")
BRANCH_DECIDED = Decimal("1.00")


def demo_dues(today: datetime.date, recorded_at: datetime.datetime, seed: int = 2026) -> int:
    """Create the bases, ledger and receipts; returns the ledger rows written."""
    policy = Policy.current()
    starts = dict(
        MembershipRecord.objects.filter(status__in=OWING, ended_on__isnull=True)
        .values_list("member_id", "started_on")
    )  # fmt: skip
    members = list(Member.objects.filter(status__in=OWING).order_by("pk")
                   .values_list("pk", "organization_id", "occupation"))  # fmt: skip
    plan = _Plan(today, recorded_at, policy, seed)
    written = 0
    with bulk_load(Basis, Due, Payment, Excuse):
        for first in range(0, len(members), CHUNK):
            chunk = members[first : first + CHUNK]
            bases, dues, payments, excuses = [], [], [], []
            for member_id, org_id, occupation in chunk:
                plan.member(member_id, org_id, occupation, starts.get(member_id),
                            bases, dues, payments, excuses)  # fmt: skip
            copy_rows(Basis, bases)
            copy_rows(Payment, payments)
            copy_rows(Due, dues)
            copy_rows(Excuse, excuses)
            written += len(dues)
        reset_sequences(Payment)
    totals.recount_all()
    arrears.refresh_all(today)
    return written


class _Plan:
    """Who pays what and when, deterministically from the seed and the ids."""

    def __init__(self, today, recorded_at, policy, seed):
        self.today, self.recorded_at, self.policy = today, recorded_at, policy
        self.this = month_of(today)
        self.january = datetime.date(today.year, 1, 1)
        self.quarter_end = add_months(self.january, ((today.month - 1) // 3 + 1) * 3 - 1)
        self.random = random.Random(seed)
        self.payment_id = 0
        self.receipts: dict[tuple, list] = {}

    def member(self, member_id, org_id, occupation, started, bases, dues, payments, excuses):
        first = max(self.january, month_of(started or self.january))
        category, base = self._category(occupation)
        asked = rule_amount(category, base, self.policy)
        amount = BRANCH_DECIDED if asked is None else asked  # "other": the branch decides
        if member_id % 50 == 7:
            amount += VOLUNTARY
        bases.append({
            "member_id": member_id, "starts": first, "category": category, "base": base,
            "rule_amount": asked, "amount": amount, "decision": "", "reason": "",
            "recorded_by_id": None, "recorded_at": self.recorded_at,
        })  # fmt: skip
        stop = self._stops(member_id, org_id)
        if stop is not None and member_id % 45 == 0:
            excuses.append({"member_id": member_id, "reason": Excuse.Reason.ILLNESS,
                            "from_month": stop, "until_month": None, "note": "长期住院治疗",
                            "recorded_by_id": None, "recorded_at": self.recorded_at})  # fmt: skip
        monthly = org_id % 10 == 0
        for months, paid_on in self._receipts(first, monthly, org_id % 10):
            paid = stop is None or months[0] < stop
            payment_id = None
            if paid and paid_on <= self.today:
                self.payment_id += 1
                payment_id = self.payment_id
                payments.append({
                    "id": payment_id, "member_id": member_id, "organization_id": org_id,
                    "first_month": months[0], "last_month": months[-1], "months": len(months),
                    "amount": amount * len(months), "paid_on": paid_on,
                    "method": "bank" if monthly else "cash", "proxy": "", "consent": False,
                    "back_reason": "", "note": "", "recorded_by_id": None,
                    "recorded_at": self.recorded_at,
                })  # fmt: skip
            for month in months:
                if payment_id is None and month > self.this:
                    continue  # opened ahead only by a payment
                dues.append({"member_id": member_id, "month": month, "organization_id": org_id,
                             "amount": amount, "paid": amount if payment_id else None,
                             "paid_on": paid_on if payment_id else None,
                             "payment_id": payment_id})  # fmt: skip

    def _category(self, occupation: str) -> tuple[str, Decimal | None]:
        if occupation == Occupation.RETIRED:
            return Category.RETIRED, Decimal(self.random.randrange(300_000, 800_000)) / 100
        if occupation in (Occupation.STUDENT, Occupation.OTHER):
            return Category.STUDENT if occupation == Occupation.STUDENT else Category.OTHER, None
        return Category.EMPLOYED, Decimal(self.random.randrange(280_000, 1_500_000)) / 100

    def _stops(self, member_id: int, org_id: int) -> datetime.date | None:
        """The month a member of the few branches in arrears stopped paying."""
        if org_id % 9 != 4:
            return None
        if member_id % 15 == 0:
            return datetime.date(self.today.year, 4, 1)
        if member_id % 5 == 0:
            return datetime.date(self.today.year, 7, 1)
        return None

    def _receipts(self, first: datetime.date, monthly: bool, day: int):
        """(months, paid on) of each receipt from the first owed month (a few kinds of
        member share them)."""
        key = (first, monthly, day)
        if key not in self.receipts:
            self.receipts[key] = self._plan_receipts(first, monthly, day)
        return self.receipts[key]

    def _plan_receipts(self, first: datetime.date, monthly: bool, day: int):
        receipts, month = [], first
        if monthly:
            while month <= self.this:
                receipts.append(([month], month.replace(day=8 + day)))
                month = add_months(month, 1)
            return receipts
        while month <= self.quarter_end:
            end = add_months(self.january, ((month.month - 1) // 3 + 1) * 3 - 1)
            months = [add_months(month, i) for i in range((end.month - month.month) + 1)]
            receipts.append((months, month.replace(day=8)))
            month = add_months(end, 1)
        return receipts
