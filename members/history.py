"""A member's change history as the member page shows it: who, when, field, before, after."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from organizations.models import Organization

from .models import Member


@dataclass
class Change:
    field: str
    before: Any
    after: Any


@dataclass
class Revision:
    when: Any
    who: Any
    kind: str  # "+" created, "~" changed
    changes: list[Change]


def _display(member_history, field_name: str, value: Any, names: dict[int, str]) -> Any:
    """A value as people read it: labels of choices, 是/否, organizations by name, masked
    ID numbers; never a database id or "True"."""
    field = member_history._meta.get_field(field_name)
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if field_name == "id_number" and value:
        return Member(id_number=value).masked_id_number
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field_name == "organization" and value is not None:
        return names.get(value, value)
    return value


def change_history(member: Member) -> list[Revision]:
    """Newest first. Historical rows are read in one query and compared in memory."""
    records = list(
        member.history.select_related("history_user").order_by("history_date", "history_id")
    )
    names = dict(
        Organization.objects.filter(pk__in={r.organization_id for r in records}).values_list(
            "pk", "name"
        )
    )
    revisions = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous, foreign_keys_are_objs=False).changes:
                field = record._meta.get_field(change.field)
                changes.append(
                    Change(
                        field=str(field.verbose_name),
                        before=_display(record, change.field, change.old, names),
                        after=_display(record, change.field, change.new, names),
                    )
                )
        revisions.append(
            Revision(record.history_date, record.history_user, record.history_type, changes)
        )
        previous = record
    return list(reversed(revisions))


def arrival_in_scope(records: list, visible_ids: set[int]):
    """The membership record with which a person came into the user's scope when their
    earlier records lie outside it (a member transferred in: the receiving organization
    sees them from the receipt on, not their history before); None when every record is in
    scope. `records` in date order."""
    first_in_scope = len(records)
    while first_in_scope > 0 and records[first_in_scope - 1].organization_id in visible_ids:
        first_in_scope -= 1
    if first_in_scope == 0 or first_in_scope == len(records):
        return None
    return records[first_in_scope]
