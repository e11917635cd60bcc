"""Working days on the official Chinese calendar: public holidays and adjusted working days.

chinese-calendar knows each year once the State Council has published it. A year it does
not know yet is refused with a clear message unless the staff entered that year's dates
(CalendarDay); entered days also override the library.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import CalendarDay


class Calendar:
    """Answers is-this-a-working-day for a span with one query for the entered days."""

    def __init__(self, start: datetime.date, end: datetime.date):
        rows = CalendarDay.objects.filter(day__year__gte=start.year, day__year__lte=end.year)
        self.entered = dict(rows.values_list("day", "is_workday"))
        self.entered_years = {d.year for d in self.entered}

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.entered:
            return self.entered[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year in self.entered_years:
                return day.weekday() < 5  # the staff entered that year's exceptions
            raise ValidationError(
                _(
                    "The official holidays of %(year)s are not known yet. Ask the working "
                    "committee to enter that year's holidays and adjusted working days."
                )
                % {"year": day.year},
                code="calendar_unknown",
            ) from None


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days from start to end, both included."""
    if end < start:
        return 0
    calendar = Calendar(start, end)
    days = (end - start).days + 1
    return sum(calendar.is_workday(start + datetime.timedelta(days=i)) for i in range(days))


@dataclass(frozen=True)
class Coverage:
    """Which years the working calendar knows: from the library, and entered by the staff."""

    first: int
    last: int  # the library's last year
    entered: list[int]
    missing: list[int]  # this year and the next, when neither source knows them


def coverage(today: datetime.date) -> Coverage:
    known = [day.year for day in chinese_calendar.holidays]
    first, last = min(known), max(known)
    entered = sorted({day.year for day in CalendarDay.objects.dates("day", "year")})
    missing = [y for y in (today.year, today.year + 1) if y > last and y not in entered]
    return Coverage(first, last, entered, missing)
