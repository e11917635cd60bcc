"""Historical meetings from a spreadsheet, all lines or none, errors by line and column.

One meeting a line: the branch (by code), kind, date, topic and the rest of the record; who
should attend follows from the registry as of the date, as for a meeting entered on the
page; the sheet names only the exceptions (ID numbers of those absent or on leave), everyone
else listed was present.
"""

import datetime
import re
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.idnumber import normalize_id_number
from organizations import access
from organizations.models import BRANCH_KINDS, Organization
from partybuild import sheets
from partybuild.sheets import CHOICE, DATE, Column, ImportResult, RowError

from . import services
from .models import Attendance, Kind, Meeting, PartyGroup

COLUMNS = [
    Column("organization", gettext_lazy("branch code"), required=True, width=12),
    Column("kind", gettext_lazy("kind"), CHOICE, tuple(Kind.choices), required=True, width=18),
    Column("on", gettext_lazy("date"), DATE, required=True, width=12),
    Column("topic", gettext_lazy("topic"), required=True, width=30),
    Column("place", gettext_lazy("place"), width=16),
    Column("host", gettext_lazy("host"), width=10),
    Column("recorder", gettext_lazy("recorder"), width=10),
    Column("lecturer", gettext_lazy("lecturer"), width=10),
    Column("group", gettext_lazy("party group"), width=14),
    Column("absent", gettext_lazy("ID numbers of those absent"), width=40),
    Column("leave", gettext_lazy("ID numbers of those on leave"), width=40),
    Column("leave_reason", gettext_lazy("reason for the leave"), width=16),
]
EXAMPLE = {"organization": "B00001", "kind": Kind.THEME_DAY, "on": datetime.date(2026, 3, 5),
           "topic": "主题党日：重温入党誓词", "place": "党员活动室", "host": "张三",
           "recorder": "李四", "absent": "", "leave": "", "leave_reason": ""}  # fmt: skip
SEPARATORS = re.compile(r"[\s,，、;；]+")


class _Rollback(Exception):
    """One line's attendance is wrong: undo that line's meeting."""


def write_template(stream: BinaryIO) -> None:
    sheets.write_template(stream, COLUMNS, title=_("meetings"), example=EXAMPLE)


def import_as(file: BinaryIO, user) -> ImportResult:
    """The import within the branches the user may change."""
    branches = access.scoped(Organization.objects.filter(kind__in=BRANCH_KINDS), user,
                             via="self", write=True)  # fmt: skip
    return meeting_import(file=file, branches=branches, by=user)


def meeting_import(*, file: BinaryIO, branches, by) -> ImportResult:
    try:
        sheet = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(sheet.errors))
    if result.errors:
        result.errors = sheets.by_line(result.errors)
        return result
    by_code = {o.code: o for o in branches.filter(
        code__in={r["organization"] for _l, r in sheet.rows if r["organization"]})}  # fmt: skip
    return sheets.import_each(
        sheet.rows, lambda line, record: _import_line(line, record, by_code, by, result), result
    )


def _import_line(line: int, record: dict, by_code: dict, by, result: ImportResult) -> None:
    labels = {c.key: str(c.label) for c in COLUMNS}
    branch = by_code.get(record["organization"] or "")
    if branch is None:
        message = _("No branch with this code that you may change.")
        result.errors.append(RowError(line, labels["organization"], message))
        return
    group = None
    if record.get("group"):
        group = PartyGroup.objects.filter(organization=branch, name=record["group"]).first()
        if group is None:
            message = _("The branch has no party group of this name.")
            result.errors.append(RowError(line, labels["group"], message))
            return
    texts = {k: record.get(k) or "" for k in ("place", "host", "recorder", "lecturer")}
    meeting = Meeting(organization=branch, group=group, kind=record["kind"], on=record["on"],
                      topic=record["topic"], **texts)  # fmt: skip
    try:
        with transaction.atomic():
            services.meeting_create(meeting=meeting, by=by)
            marks = _marks(line, record, meeting, labels, result)
            if marks is None:
                raise _Rollback
            services.attendance_save(meeting=meeting, marks=marks, by=by)
    except _Rollback:
        return
    except ValidationError as exc:
        for field, messages in _messages(exc):
            result.errors.extend(RowError(line, labels.get(field, ""), m) for m in messages)
        return
    result.created += 1


def _marks(line, record, meeting, labels, result) -> dict | None:
    """Everyone listed present but those the sheet names absent or on leave."""
    rows = {a.member.id_number: a for a in meeting.attendance.select_related("member")}
    marks = {a.pk: services.Mark(Attendance.State.PRESENT) for a in rows.values()}
    ok = True
    for key, state in (("absent", Attendance.State.ABSENT), ("leave", Attendance.State.LEAVE)):
        for number in filter(None, SEPARATORS.split(record.get(key) or "")):
            row = rows.get(normalize_id_number(number))
            if row is None:
                message = _("%(number)s is not on the list of who should attend on that day.") % {
                    "number": number}  # fmt: skip
                result.errors.append(RowError(line, labels[key], message))
                ok = False
                continue
            reason = (record.get("leave_reason") or _("leave")) if key == "leave" else ""
            marks[row.pk] = services.Mark(state, reason)
    return marks if ok else None


def _messages(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return [(field, [str(m) for e in errors for m in e.messages])
                for field, errors in exc.error_dict.items()]  # fmt: skip
    return [("", exc.messages)]
