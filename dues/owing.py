"""The months a member owes dues for (domain.md section 4), from the registry's dated records.

A month is owed when the person was a full or probationary member on any day of it: a
probationary member from the month of the member meeting that admitted them (not the later
approval that starts their record), a member who leaves up to and including the month of
leaving, a member transferred in from the month after the "paid up to" month of the letter.
Each owed month belongs to the organization the member was in last during it. Months are
given by their first day.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from development.models import Step, StepKind
from members.choices import Event, Status
from members.models import Member, MembershipRecord

OWING = (Status.FULL, Status.PROBATIONARY)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of the months from first's month to last's, both included."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


class Facts:
    """What the owed months of some members follow from, loaded in three queries."""

    def __init__(self, member_ids: Iterable[int]):
        from .models import Opening

        ids = list(member_ids)
        self.records: dict[int, list[MembershipRecord]] = defaultdict(list)
        for record in MembershipRecord.objects.filter(member_id__in=ids, status__in=OWING).order_by(
            "member_id", "started_on", "id"
        ):
            self.records[record.member_id].append(record)
        self.meetings: dict[int, list[datetime.date]] = defaultdict(list)
        for member_id, on in Step.objects.filter(
            member_id__in=ids, kind=StepKind.ADMISSION_MEETING
        ).values_list("member_id", "on"):
            self.meetings[member_id].append(on)
        self.paid_up_to = dict(
            Opening.objects.filter(member_id__in=ids).values_list("member_id", "paid_up_to")
        )

    def owed(self, member_id: int, first: datetime.date, last: datetime.date):
        """{month: organization id} of the months from first to last the member owes."""
        owed: dict[datetime.date, int] = {}
        for record in self.records.get(member_id, []):
            start = self._owing_from(member_id, record)
            end = record.ended_on or last
            for month in months_between(max(start, first), min(end, last)):
                owed[month] = record.organization_id  # the last organization of the month
        return owed

    def organization_now(self, member_id: int) -> int | None:
        """The organization of the member's latest owing record."""
        records = self.records.get(member_id)
        return records[-1].organization_id if records else None

    def _owing_from(self, member_id: int, record: MembershipRecord) -> datetime.date:
        if record.start_event == Event.ADMITTED:
            # The member meeting that voted the admission, not the approval after it.
            held = [on for on in self.meetings.get(member_id, []) if on <= record.started_on]
            return max(held, default=record.started_on)
        if record.start_event == Event.TRANSFERRED_IN and member_id in self.paid_up_to:
            return next_month(self.paid_up_to[member_id])
        return record.started_on


def owed_months(member: Member, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The months from first to last (both included) the member owes dues for."""
    return sorted(Facts([member.pk]).owed(member.pk, first, last))
