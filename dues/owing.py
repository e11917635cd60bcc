"""The months a member owes dues for (domain.md section 4), from the registry's dated records.

A month is owed when the person was a full or probationary member on any day of it: a
probationary member from the month of the member meeting that admitted them (not the later
approval that starts their record), a member who leaves up to and including the month of
leaving. Months are given by their first day.
"""

import datetime

from development.models import Step, StepKind
from members.choices import Event, Status
from members.models import Member, MembershipRecord

OWING = (Status.FULL, Status.PROBATIONARY)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of the months from first's month to last's, both included."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def owed_months(member: Member, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The months from first to last (both included) the member owes dues for."""
    owed: set[datetime.date] = set()
    records = MembershipRecord.objects.filter(member=member, status__in=OWING).order_by(
        "started_on"
    )
    for record in records:
        start = _owing_from(member, record)
        end = record.ended_on or last
        owed.update(months_between(max(start, first), min(end, last)))
    return sorted(owed)


def _owing_from(member: Member, record: MembershipRecord) -> datetime.date:
    """The record's start, or for an admission the day of the member meeting that voted it."""
    if record.start_event != Event.ADMITTED:
        return record.started_on
    meeting = (
        Step.objects.filter(member=member, kind=StepKind.ADMISSION_MEETING,
                            on__lte=record.started_on)
        .order_by("-on").values_list("on", flat=True).first()
    )  # fmt: skip
    return meeting or record.started_on
