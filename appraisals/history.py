"""A sheet's history as its page shows it: status changes and every changed cell."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import Entry, Sheet
from .services import ENTRY_FIELDS, shown


@dataclass
class Event:
    when: Any
    who: Any
    what: str


def sheet_history(sheet: Sheet, limit: int = 200) -> list[Event]:
    """Newest first; entries' records are read in one query and compared in memory."""
    events = []
    previous_status = None
    for record in sheet.history.select_related("history_user").order_by("history_id"):
        if record.status != previous_status:
            events.append(Event(record.history_date, record.history_user,
                                f"{_('status')}: {record.get_status_display()}"))  # fmt: skip
            previous_status = record.status
    names = dict(sheet.entries.values_list("pk", "member__name"))
    last: dict[int, Any] = {}
    records = Entry.history.filter(sheet_id=sheet.pk).select_related("history_user")
    blank = Entry()  # entries are created blank when the campaign opens
    for record in records.order_by("history_id"):
        before = last.get(record.id, blank)
        last[record.id] = record
        for name in ENTRY_FIELDS:
            old, new = getattr(before, name), getattr(record, name)
            if old != new:
                label = record._meta.get_field(name).verbose_name
                what = (f"{names.get(record.id, '')} · {label}: "
                        f"{shown(name, old)} → {shown(name, new)}")  # fmt: skip
                events.append(Event(record.history_date, record.history_user, what))
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]


def grade_history(member) -> list[Entry]:
    """The member's appraisals year by year, newest first, with their dispositions."""
    return list(
        Entry.objects.filter(member=member)
        .select_related("sheet")
        .prefetch_related("dispositions")
        .order_by("-sheet__year")
    )
