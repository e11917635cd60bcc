"""A branch's appraisal sheet as an Excel workbook: filled offline, imported all or nothing."""

from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partybuild import sheets
from partybuild.sheets import BOOL, CHOICE, FILE_LEVEL, INT, Column, ImportResult, RowError

from .models import Exemption, Grade, Sheet
from .services import ENTRY_FIELDS, entry_values, row_problems, sheet_save

COLUMNS = [
    Column("key", gettext_lazy("row number (do not change)"), INT, required=True, width=12),
    Column("name", gettext_lazy("name"), width=12),
    Column("exemption", gettext_lazy("exempted because"), CHOICE, tuple(Exemption.choices)),
    Column("exemption_note", gettext_lazy("exemption note"), width=20),
    Column("self_assessment", gettext_lazy("self-assessment done"), BOOL),
    Column("mutual_evaluation", gettext_lazy("mutual evaluation done"), BOOL),
    Column("votes_excellent", gettext_lazy("votes: excellent"), INT),
    Column("votes_qualified", gettext_lazy("votes: qualified"), INT),
    Column("votes_basic", gettext_lazy("votes: basically qualified"), INT),
    Column("votes_unqualified", gettext_lazy("votes: unqualified"), INT),
    Column("grade", gettext_lazy("grade"), CHOICE, tuple(Grade.choices)),
    Column("remark", gettext_lazy("remark"), width=30),
]
EXTRA_LINES = 20  # blank or note lines a filled-in sheet may gain
DEFAULTS = {"exemption": "", "exemption_note": "", "grade": "", "remark": ""}


def write_sheet_template(stream: BinaryIO, sheet: Sheet) -> None:
    """The sheet's members with what is entered so far."""
    records = (
        {"key": e.pk, "name": e.member.name, **entry_values(e)}
        for e in sheet.entries.select_related("member").order_by("member__name", "member_id")
    )
    sheets.write_sheet(
        stream, COLUMNS, sheets.iter_display(COLUMNS, records), title=sheet.organization.name
    )


def import_sheet(*, file: BinaryIO, sheet: Sheet, by) -> ImportResult:
    """Save every line of the workbook onto the sheet, or nothing if any line is wrong.

    A sheet has a line per member, so a file with many more lines is refused before it is
    parsed (the request stays short: no job is needed for a branch's sheet).
    """
    try:
        entries_count = sheet.entries.count()
        if sheets.count_lines(file) > entries_count + EXTRA_LINES:
            raise sheets.SheetError(
                _("The file has more lines than the sheet has members (%(count)s).")
                % {"count": entries_count}
            )
        read = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(read.errors))
    entries = {e.pk: e for e in sheet.entries.all()}
    rows, seen_keys = {}, set()
    for line, record in read.rows:
        key = record.get("key")
        if key not in entries or key in seen_keys:
            message = _("This row number is not on the sheet, or appears twice.")
            result.errors.append(RowError(line, str(COLUMNS[0].label), message))
            continue
        seen_keys.add(key)
        values = {name: record.get(name) for name in ENTRY_FIELDS}
        values = {k: (DEFAULTS.get(k, 0) if v is None else v) for k, v in values.items()}
        result.errors += [RowError(line, "", p) for p in row_problems(values)]
        rows[key] = values
    if result.errors:
        result.errors = sheets.by_line(result.errors)
        return result
    try:
        sheet_save(sheet=sheet, rows=rows, version=sheet.version, seen={}, by=by,
                   voters=sheet.voters)  # fmt: skip
    except ValidationError as exc:
        return ImportResult(errors=[RowError(FILE_LEVEL, "", m) for m in exc.messages])
    result.created = len(rows)
    return result
