"""Arrears: the months a member owes and has not paid, once the month is over, and the
six-month rule (domain.md section 4: six consecutive months unpaid without good reason and
the member is treated as having left the party).

Only the unpaid rows of the ledger are read (a partial index keeps them apart), summed per
member in the database, then the last paid month of just the members found; the few whose
unpaid months have a paid month between them are read month by month. The count costs the
size of the arrears, not of the ledger. Each member's result is stored (`Standing`, below),
so that the lists of a whole city are one indexed, paginated query.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet, Sum

from members.models import Member
from organizations.models import Policy

from .models import Due, Excuse, Lapse, Opening
from .owing import OWING, add_months, month_of


@dataclass
class Arrears:
    member_id: int
    organization_id: int  # the member's organization now
    count: int  # months unpaid
    amount: Decimal
    oldest: datetime.date
    newest: datetime.date
    running: int = 0  # consecutive unpaid months up to the last month that is over
    run_from: datetime.date | None = None
    excuse: Excuse | None = None
    lapse: Lapse | None = None
    listed: bool = False  # under the six-month rule, for the branch to decide


def arrears_of(members: QuerySet[Member], today: datetime.date) -> list[Arrears]:
    """Members of the queryset with unpaid months before this month, oldest debt first."""
    return _arrears(_unpaid(today).filter(member_id__in=members.values("pk")), today, members)


def arrears_where(today: datetime.date, **lookups) -> list[Arrears]:
    """Arrears of the members whose unpaid rows match the lookups (by organization)."""
    return _arrears(_unpaid(today).filter(**lookups), today, Member.objects.all())


def _unpaid(today: datetime.date) -> QuerySet[Due]:
    return Due.objects.filter(paid_on__isnull=True, month__lt=month_of(today))


def _arrears(unpaid: QuerySet[Due], today: datetime.date,
             members: QuerySet[Member]) -> list[Arrears]:  # fmt: skip
    """Sum the unpaid rows per member, keep the members of the queryset who still owe
    (full and probationary), then their runs and the branch's decisions."""
    sums = list(
        unpaid.values("member_id")
        .annotate(count=Count("id"), amount=Sum("amount"), oldest=Min("month"),
                  newest=Max("month"))
        .order_by()
    )  # fmt: skip
    if not sums:
        return []
    where = dict(
        members.filter(pk__any_of={row["member_id"] for row in sums}, status__in=OWING)
        .values_list("pk", "organization_id")
    )  # fmt: skip
    found = {
        row["member_id"]: Arrears(row["member_id"], where[row["member_id"]], row["count"],
                                  row["amount"], row["oldest"], row["newest"])
        for row in sums if row["member_id"] in where
    }  # fmt: skip
    if not found:
        return []
    _runs(found, month_of(today))
    _decisions(found)
    return sorted(found.values(), key=lambda r: (r.oldest, r.member_id))


def _runs(found: dict[int, "Arrears"], this_month: datetime.date) -> None:
    """The run of unpaid months since the last paid one; months read only for members with
    a paid month after their oldest unpaid one (a gap between two runs)."""
    ids = found.keys()  # not a list: handed to the lookup as it is (partybuild.lookups)
    last_paid = dict(
        Due.objects.filter(member_id__any_of=ids, paid_on__isnull=False, month__lt=this_month)
        .values("member_id").annotate(last=Max("month")).order_by()
        .values_list("member_id", "last")
    )  # fmt: skip
    gaps = [i for i in ids if last_paid.get(i) and last_paid[i] > found[i].oldest]
    months = defaultdict(list)
    for member_id, month in (
        Due.objects.filter(member_id__any_of=gaps, paid_on__isnull=True, month__lt=this_month)
        .order_by("member_id", "month").values_list("member_id", "month")
    ) if gaps else ():  # fmt: skip
        months[member_id].append(month)
    for member_id, row in found.items():
        if member_id in months:
            run = [m for m in months[member_id] if m > last_paid[member_id]]
            row.running, row.run_from = len(run), (run[0] if run else None)
        else:
            row.running, row.run_from = row.count, row.oldest


def _decisions(found: dict[int, "Arrears"]) -> None:
    ids = found.keys()
    excuses = defaultdict(list)
    for excuse in Excuse.objects.filter(member_id__any_of=ids).order_by("-from_month"):
        excuses[excuse.member_id].append(excuse)
    lapses = {lapse.member_id: lapse for lapse in Lapse.objects.filter(
        member_id__any_of=ids).exclude(outcome=Lapse.Outcome.RETURNED).order_by("id")}  # fmt: skip
    limit = Policy.current().dues_arrears_months
    for row in found.values():
        last = row.newest if row.running else None
        row.excuse = next((e for e in excuses[row.member_id] if last and e.covers(last)), None)
        row.lapse = lapses.get(row.member_id)
        row.listed = row.running >= limit and row.excuse is None


def arrears_of_member(member: Member, today: datetime.date) -> Arrears | None:
    rows = arrears_of(Member.objects.filter(pk=member.pk), today)
    return rows[0] if rows else None


# -- the stored standings ----------------------------------------------------------------------


def _standing(row: Arrears):
    from .models import Standing

    return Standing(member_id=row.member_id, organization_id=row.organization_id,
                    count=row.count, amount=row.amount, oldest=row.oldest, newest=row.newest,
                    running=row.running, run_from=row.run_from, listed=row.listed,
                    excuse=row.excuse, lapse=row.lapse)  # fmt: skip


def refresh_members(member_ids, today: datetime.date | None = None) -> None:
    """Store the members' standings again (after a payment, a basis, a reason, a decision)."""
    from django.utils import timezone

    from .models import Standing

    ids = set(member_ids)
    rows = _arrears(_unpaid(today or timezone.localdate()).filter(member_id__any_of=ids),
                    today or timezone.localdate(), Member.objects.all())  # fmt: skip
    Standing.objects.filter(member_id__any_of=ids).delete()
    Standing.objects.bulk_create([_standing(r) for r in rows])


def refresh_all(today: datetime.date) -> int:
    """Every member's standing, as of the month of `today` (when a month closes)."""
    from django.db import transaction

    from .models import Standing, StandingRefresh

    rows = _arrears(_unpaid(today), today, Member.objects.all())
    with transaction.atomic():
        Standing.objects.all().delete()
        Standing.objects.bulk_create([_standing(r) for r in rows], batch_size=2000)
        StandingRefresh.objects.all().delete()
        StandingRefresh.objects.create(month=month_of(today))
    return len(rows)


def standings_in(organization, user, today: datetime.date):
    """The stored standings of members now in the organization's subtree, in the user's
    scope; refreshed first when the month has moved on since."""
    from organizations import access

    from .models import Standing, StandingRefresh

    if not StandingRefresh.objects.filter(month=month_of(today)).exists():
        refresh_all(today)
    return access.scoped(Standing.objects, user).filter(
        organization__ancestor_links__ancestor=organization
    )


def paid_up_to(member: Member) -> datetime.date | None:
    """The month a transfer letter states the dues are paid to: the month before the oldest
    unpaid month, else the last month paid (a payment ahead counts), else the month the
    member's own arrival letter stated; None when nothing is known."""
    dues = Due.objects.filter(member=member)
    oldest_unpaid = dues.filter(paid_on__isnull=True).aggregate(m=Min("month"))["m"]
    if oldest_unpaid is not None:
        return add_months(oldest_unpaid, -1)
    last_paid = dues.aggregate(m=Max("month"))["m"]
    if last_paid is not None:
        return last_paid
    return Opening.objects.filter(member=member).values_list("paid_up_to", flat=True).first()
