"""Small date helpers shared by the apps."""

import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
