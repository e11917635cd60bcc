"""Statistics columns that apps contribute, in one place every app can reach.

The statistics engine (reports) counts members, organizations and development itself; any
other app adds its own figures by declaring a `statistics` module with:

    COLUMNS: list[StatColumn]          the integer counts it adds to every snapshot row
                                       (money as integer fen, in 64-bit columns: big=True)
    def counts(as_of, organization_ids) -> {organization id: {column name: count}}
                                       each organization's own counts as of the date
    def queries(as_of, organization_ids) -> [values() queryset]     (optional)
                                       own counts the database makes: each queryset gives
                                       organization_id and columns named as in COLUMNS,
                                       one row per organization; the engine joins it into
                                       the figures without reading it (counts() then
                                       returns only what these do not give)

A column that counts party members by a condition gives it as `sql` instead (over the
record in force `r` and the person `m`, with `params(day)` for its placeholders): the engine
counts it in its one scan of the members in force, where a condition on the app's own table
is a hashed `m.id IN (SELECT member_id FROM ...)` read once, not a join per column; counts()
returns the other columns only.

The engine stores them beside its own, rolls them up the tree (a parent is the sum of its
children plus its own) and the reports show them; the engine itself is not edited.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .discovery import app_modules


@dataclass(frozen=True)
class StatColumn:
    name: str
    label: str
    group: str
    big: bool = False  # amounts in fen: a city's year of dues passes 2**31
    sql: str = ""  # a condition over r and m: the engine counts the party members it holds
    params: Callable[[datetime.date], list] = field(default=lambda day: [])


def contributors() -> tuple:
    """The `statistics` modules of the installed apps, in INSTALLED_APPS order."""
    return app_modules("statistics", besides="partybuild")


def contributed_columns() -> list[StatColumn]:
    return [column for module in contributors() for column in module.COLUMNS]


# The statistics engine (reports, above every app) provides the reading of its snapshots;
# an app that needs its own columns summed over a subtree asks through here.
_snapshot_reader = None


def provide_snapshot_reader(reader) -> None:
    global _snapshot_reader
    _snapshot_reader = reader


# Subtrees with more party members than this show some figures from the statistics of today
# or yesterday rather than counting them live (a city's 300,000 members on every visit).
LIVE_COUNT_LIMIT = 20_000


def recent_counts(organization_id: int, day, names: list[str]):
    """(as of, {column: subtree count}) of one organization from the statistics of the day or
    the day before (the night's run comes after midnight), or None when there are none."""
    figures = snapshot_counts([organization_id], day, names)
    if figures is None or (day - figures[0]).days > 1 or organization_id not in figures[1]:
        return None
    return figures[0], figures[1][organization_id]


def snapshot_counts(organization_ids: list[int], day, names: list[str]):
    """(as of, {organization id: {column: subtree count}}) from the newest current snapshot
    of the day's year up to the day, or None when there is none."""
    if _snapshot_reader is None:
        return None
    return _snapshot_reader(organization_ids, day, names)
