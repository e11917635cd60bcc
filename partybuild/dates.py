"""Small date helpers shared by the apps."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def year_asked(text: str | None, this_year: int, *, ahead: int = 0) -> int:
    """A year from the query string (?year=2025), within 2000 and `ahead` years after this
    one; this year otherwise (never an error page)."""
    try:
        year = int(text or this_year)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + ahead else this_year
