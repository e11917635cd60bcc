"""Command-line arguments shared by the statistics commands."""

import argparse
import datetime

from django.utils import timezone


def as_of_date(value: str) -> datetime.date:
    """An --as-of value: a YYYY-MM-DD date, not in the future."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"Not a date (YYYY-MM-DD): {value}") from None
    if day > timezone.localdate():
        raise argparse.ArgumentTypeError("The date cannot be in the future.")
    return day
