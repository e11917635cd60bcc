"""The apps that keep reminders, found by their `reminders` module.

An app watching time limits declares, in its `reminders` module:

    SOURCE = Source(name=..., label=..., rebuild=..., describe=..., link=...)

`rebuild(today)` yields everyone's rows in batches: lists of dicts of Reminder's fields (not
model instances: a rebuild makes a few hundred thousand); `describe` and `link` say what a
row asks and where it is done; `subjects` what a row's subject_id points to, by kind ("*":
every kind; none where it is a count). The app also stores its rows again whenever what it
watches changes (reminders.services.replace).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from partybuild.discovery import app_modules

from .models import Reminder


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    rebuild: Callable[[datetime.date], Iterable[list[dict]]]
    describe: Callable[[Reminder], str]
    link: Callable[[Reminder], str]
    # Rows that depend on the calendar (a duty of the month) are stored again every night.
    timed: bool = False
    # kind → the model ("app_label.Model") whose id a row's subject_id holds
    subjects: dict[str, str] = field(default_factory=dict)


def sources() -> dict[str, Source]:
    return {m.SOURCE.name: m.SOURCE for m in app_modules("reminders", besides="reminders")}


def source(name: str) -> Source:
    return sources()[name]
