"""Spreadsheet import and export shared by the roster and organization imports.

Headers and choice values are matched in every UI language (and by their codes), so a
template downloaded in English imports in Chinese and the other way round. Errors carry
the spreadsheet's own line numbers.
"""

import datetime
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO
from xml.etree import ElementTree

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from . import plainrows
from .cells import safe_title

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT, DATE, CHOICE, BOOL, INT, MONEY = "text", "date", "choice", "bool", "int", "money"
_TRUE = {"1", "y", "yes", "true", "是", "√"}
_FALSE = {"", "0", "n", "no", "false", "否"}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    kind: str = TEXT
    choices: tuple = ()  # (value, lazy label) pairs for CHOICE
    required: bool = False
    width: int = 14


FILE_LEVEL = 0  # the line number of an error about the whole file


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == FILE_LEVEL:
            return self.message
        where = _("line %(line)s") % {"line": self.line}
        return (
            f"{where} · {self.column}: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


@dataclass
class SheetRows:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an all-or-nothing import did: how many it created, or every bad line.

    Pages and commands show the first `IMPORT_SHOWN_ERRORS` errors and the total.
    """

    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int | None = None  # when only the shown errors are kept (a job's result)

    @classmethod
    def refused(cls, exc: Exception) -> "ImportResult":
        """The whole file refused (not a workbook, too large, wrong headers)."""
        return cls(errors=[RowError(FILE_LEVEL, "", str(exc))])

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_errors(self) -> int:
        return self.error_count if self.error_count is not None else len(self.errors)

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[: settings.IMPORT_SHOWN_ERRORS]

    @property
    def hidden_errors(self) -> int:
        return self.total_errors - len(self.shown_errors)

    def as_dict(self) -> dict:
        """For a job's result: the count, the shown errors and their total."""
        shown = [[e.line, e.column, e.message] for e in self.shown_errors]
        return {"created": self.created, "errors": shown, "error_count": self.total_errors}

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        errors = [RowError(*e) for e in data.get("errors", [])]
        return cls(data.get("created", 0), errors, data.get("error_count", len(errors)))


def raise_refused(command, result: ImportResult) -> None:
    """An import command's answer to a refused file: the first errors, the total, exit 1."""
    from django.core.management.base import CommandError

    for error in result.shown_errors:
        command.stderr.write(str(error))
    if result.hidden_errors:
        command.stderr.write(f"... and {result.hidden_errors} more")
    raise CommandError(f"{result.total_errors} problem(s); nothing was imported.")


class SheetError(Exception):
    """The file as a whole cannot be read (not a workbook, too large, wrong headers)."""


MAX_ARCHIVE_MEMBERS = 1000
MAX_COLUMNS = 100  # no template has more; a cell at column XFD must not widen every row


def check_upload(file: BinaryIO) -> int:
    """Bounds checked before anything is parsed: the file's size, then what it unpacks to,
    then the rows of its sheets. Returns the rows of the longest sheet.

    An .xlsx is a zip archive; its declared sizes bound what zipfile will unpack (it stops
    there and fails the CRC), so a small file that would unpack to gigabytes is refused here.
    """
    size = getattr(file, "size", None)  # an upload's true size, even when it was cut short
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size > settings.IMPORT_MAX_BYTES:
        raise SheetError(
            _("The file is %(size)s MB; at most %(limit)s MB are accepted.")
            % {"size": _megabytes(size), "limit": _megabytes(settings.IMPORT_MAX_BYTES)}
        )
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SheetError(_("This file is not an Excel workbook (.xlsx).")) from exc
    finally:
        file.seek(0)
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise SheetError(
            _("The workbook unpacks to %(size)s MB; at most %(limit)s MB are accepted.")
            % {
                "size": _megabytes(unpacked),
                "limit": _megabytes(settings.IMPORT_MAX_UNPACKED_BYTES),
            }
        )
    return _check_row_counts(file, [m for m in members if m.filename.startswith("xl/worksheets/")])


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _check_row_counts(file: BinaryIO, sheets: list[zipfile.ZipInfo]) -> int:
    """Count each sheet's rows in its raw XML (fast, streaming) before openpyxl reads it:
    openpyxl scans a whole sheet for its size when the file does not state it."""
    limit = settings.IMPORT_MAX_ROWS + 1  # the header line too
    longest = 0
    with zipfile.ZipFile(file) as archive:
        for info in sheets:
            rows, tail = 0, b""
            with archive.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    data = tail + chunk
                    rows += len(_ROW_TAG.findall(data[: len(data) - 8]))
                    tail = data[len(data) - 8 :]
                    if rows > limit:
                        raise SheetError(_too_many_lines())
                rows += len(_ROW_TAG.findall(tail))
            if rows > limit:
                raise SheetError(_too_many_lines())
            longest = max(longest, rows)
    file.seek(0)
    return longest


def _too_many_lines() -> str:
    return _("The sheet has more than %(limit)s lines; split it into several files.") % {
        "limit": settings.IMPORT_MAX_ROWS
    }


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _bounded_lines(sheet, width: int, formula_lines=frozenset()) -> Iterator[tuple[int, tuple]]:
    """(line number, values) of the non-empty lines after the header (a line of formulas
    without values is not empty), refusing a sheet of more than IMPORT_MAX_ROWS lines or one
    that takes longer than IMPORT_MAX_SECONDS."""
    deadline = time.monotonic() + settings.IMPORT_MAX_SECONDS
    lines = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    for line, values in enumerate(lines, start=2):
        if line - 1 > settings.IMPORT_MAX_ROWS:
            raise SheetError(_too_many_lines())
        if line % 500 == 0 and time.monotonic() > deadline:
            raise SheetError(_("Reading the sheet took too long; split it into several files."))
        filled = any(v is not None and str(v).strip() for v in values) or line in formula_lines
        if filled and not _is_example(values):
            yield line, values


def _open_first_sheet(file: BinaryIO):
    check_upload(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise SheetError(_("This file is not an Excel workbook (.xlsx).")) from exc
    return workbook, workbook.worksheets[0]


def formulas_without_values(file: BinaryIO, sheet) -> set[tuple[int, int]]:
    """(line, column index from 0) of the formula cells saved without a computed value.

    Files written by programs rather than by Excel often carry formulas whose results were
    never computed; read for their values they look empty, and the import would take an
    empty cell for what the user sees as a figure. The sheet's XML (already bounded by
    check_upload) is scanned only when it holds a formula at all.
    """
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return set()
    file.seek(0)
    with zipfile.ZipFile(file) as archive, archive.open(path) as xml:
        if not _has_formula(xml):
            return set()
    file.seek(0)
    found = set()
    with zipfile.ZipFile(file) as archive, archive.open(path) as xml:
        for _event, cell in ElementTree.iterparse(xml):
            if cell.tag != f"{{{SHEET_NS}}}c":
                continue
            formula, value = cell.find(f"{{{SHEET_NS}}}f"), cell.find(f"{{{SHEET_NS}}}v")
            if formula is not None and (value is None or not (value.text or "").strip()):
                letters, line = coordinate_from_string(cell.get("r"))
                found.add((line, column_index_from_string(letters) - 1))
            cell.clear()
    return found


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _has_formula(xml) -> bool:
    tail = b""
    while chunk := xml.read(1 << 20):
        if b"<f>" in tail + chunk or b"<f " in tail + chunk:
            return True
        tail = chunk[-3:]
    return False


def count_lines(file: BinaryIO) -> int:
    """About how many lines lie below the header (rows written in the file, blank ones
    included), found without parsing the cells: enough to choose a job or the request."""
    return max(check_upload(file) - 1, 0)


def _in_every_language(text) -> set[str]:
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(_normal(str(text)))
    return names


def _normal(text: Any) -> str:
    return re.sub(r"[\s*（）()]", "", str(text or "")).lower()


def _choice_lookup(column: Column) -> dict[str, str]:
    lookup = {}
    for value, label in column.choices:
        lookup[_normal(value)] = value
        for name in _in_every_language(label):
            lookup[name] = value
    return lookup


def _convert(column: Column, raw: Any, lookup: dict[str, str]) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.kind == BOOL:
            return False
        return None
    if column.kind == DATE:
        return _to_date(raw)
    if column.kind == CHOICE:
        try:
            return lookup[_normal(raw)]
        except KeyError:
            raise ValueError(_not_allowed(column, raw)) from None
    if column.kind == BOOL:
        text = _normal(raw)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("Write 是 or 否 (yes or no)."))
    if column.kind == INT:
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int) or (isinstance(raw, str) and raw.strip().isdigit()):
            return int(raw)
        raise ValueError(_("'%(value)s' is not a whole number.") % {"value": raw})
    if column.kind == MONEY:
        return _to_money(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _to_money(raw: Any) -> Decimal:
    """Yuan to the fen, exactly: a float cell is read through its shortest text (12.3 is
    12.30, never 12.2999…); a third decimal place is refused, not rounded away."""
    text = repr(raw) if isinstance(raw, float) else str(raw).strip().replace(",", "")
    try:
        value = Decimal(text.removeprefix("¥").removeprefix("￥"))
    except InvalidOperation:
        raise ValueError(_("'%(value)s' is not an amount in yuan.") % {"value": raw}) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or value < 0:
        raise ValueError(_("'%(value)s' is not an amount in yuan to the fen.") % {"value": raw})
    return value.quantize(Decimal("0.01"))


SHOWN_CHOICES = 12
FORMULA_WITHOUT_VALUE = gettext_lazy(
    "The cell holds a formula without a computed value: open the file in Excel and save it "
    "again, or paste the values instead of the formula."
)


def _not_allowed(column: Column, raw: Any) -> str:
    labels = [str(label) for _value, label in column.choices]
    listed = "、".join(labels[:SHOWN_CHOICES])
    if len(labels) > SHOWN_CHOICES:
        listed += " …"
    return _("'%(value)s' is not one of the allowed values: %(allowed)s.") % {
        "value": raw,
        "allowed": listed,
    }


def _to_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return from_excel(raw).date()  # an Excel date serial in a cell not formatted as date
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("'%(value)s' is not a date; write it as 2024-07-01.") % {"value": raw})


def read_sheet(file: BinaryIO, columns: list[Column]) -> SheetRows:
    """Read the first sheet: header on line 1, one record a line, empty lines skipped.

    Bounded before and while parsing (check_upload, _bounded_lines): raises SheetError.
    """
    workbook, sheet = _open_first_sheet(file)
    try:
        header = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
        positions = _match_header(header or (), columns)
        width = max(positions.values(), default=0) + 1
        lookups = {c.key: _choice_lookup(c) for c in columns if c.kind == CHOICE}
        formulas = formulas_without_values(file, sheet)
        result = SheetRows()
        for line, values in _bounded_lines(sheet, width, {line for line, _c in formulas}):
            record = _read_line(line, values, positions, lookups, result.errors, formulas)
            result.rows.append((line, record))
        return result
    finally:
        workbook.close()


def _match_header(header: tuple, columns: list[Column]) -> dict[Column, int]:
    names = {_normal(h): i for i, h in enumerate(header) if h is not None}
    positions, missing = {}, []
    for column in columns:
        found = [names[n] for n in _in_every_language(column.label) | {column.key} if n in names]
        if found:
            positions[column] = found[0]
        elif column.required:
            missing.append(str(column.label))
    if missing:
        raise SheetError(
            _("Line 1 lacks the columns: %(columns)s. Use the downloadable template.")
            % {"columns": "、".join(missing)}
        )
    return positions


def _read_line(line, values, positions, lookups, errors: list[RowError], formulas) -> dict:
    record = {}
    for column, index in positions.items():
        raw = values[index] if index < len(values) else None
        if raw is None and (line, index) in formulas:
            errors.append(RowError(line, str(column.label), str(FORMULA_WITHOUT_VALUE)))
            record[column.key] = None
            continue
        try:
            record[column.key] = _convert(column, raw, lookups.get(column.key, {}))
        except ValueError as exc:
            errors.append(RowError(line, str(column.label), str(exc)))
            record[column.key] = None
    return record


class _Rollback(Exception):
    pass


def import_each(rows, import_line, result: "ImportResult") -> "ImportResult":
    """All lines or none: `import_line(line, record)` for each row in one transaction, which
    is rolled back if any line left an error in `result`; the errors end up one per cell,
    in line order."""
    from django.db import transaction

    try:
        with transaction.atomic():
            for line, record in rows:
                import_line(line, record)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    result.errors = by_line(result.errors)
    return result


def by_line(errors: list[RowError]) -> list[RowError]:
    """Errors in line order, one per cell: a value that could not be read is not reported
    again as missing by the form that checks the line."""
    seen, kept = set(), []
    for error in sorted(errors, key=lambda e: e.line):
        cell = (error.line, error.column)
        if error.column and cell in seen:
            continue
        seen.add(cell)
        kept.append(error)
    return kept


def form_errors(line: int, form, labels: dict[str, str]) -> list[RowError]:
    """A bound form's errors as row errors, named by the spreadsheet's column labels."""
    return [
        RowError(line, labels.get(name, ""), message)
        for name, messages in form.errors.items()
        for message in messages
    ]


def write_sheet(
    stream: BinaryIO, columns: list[Column], rows: Iterable[Iterable[Any]], *, title: str
) -> int:
    """Write a header and rows in openpyxl's write-only mode; returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = plainrows.add_sheet(workbook, safe_title(title))
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, column) for column in columns])
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    if count:  # a filter on every column of the header
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(stream)
    return count


EXAMPLE_MARK = gettext_lazy("(example)")
TEMPLATE_ROWS = 2000  # rows that carry the drop-down lists and date formats


def write_template(stream: BinaryIO, columns: list[Column], *, title: str, example: dict) -> None:
    """An import template people can fill in: the header, one example line (marked; the
    import skips it), a drop-down list on every choice and yes/no column, date-formatted
    date columns, and a second sheet listing the allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_title(title)
    values_sheet = workbook.create_sheet(safe_title(_("allowed values")))
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(1, i, str(column.label))
        header.font = Font(bold=True)
        if column.required:
            header.fill = PatternFill("solid", fgColor="FFF2CC")
        shown = display_value(column, example.get(column.key))
        if i == 1:
            shown = f"{EXAMPLE_MARK}{shown or ''}"
        cell = sheet.cell(2, i, shown)
        cell.font = Font(italic=True, color="808080")
        if column.kind == DATE:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
            cell.number_format = "yyyy-mm-dd"
        _add_choice_list(sheet, values_sheet, column, i)
    sheet.freeze_panes = "A2"
    workbook.save(stream)


def _add_choice_list(sheet, values_sheet, column: Column, index: int) -> None:
    if column.kind == BOOL:
        options = [str(_("yes")), str(_("no"))]
    elif column.kind == CHOICE:
        options = [str(label) for _value, label in column.choices]
    else:
        return
    target = values_sheet.max_column + 1 if values_sheet["A1"].value else 1
    letter = get_column_letter(target)
    values_sheet.cell(1, target, str(column.label)).font = Font(bold=True)
    values_sheet.column_dimensions[letter].width = max(column.width, 14)
    for row, option in enumerate(options, start=2):
        values_sheet.cell(row, target, option)
    source = f"'{values_sheet.title}'!${letter}$2:${letter}${len(options) + 1}"
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.error = str(_("Choose one of the allowed values (see the second sheet)."))
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    column_letter = get_column_letter(index)
    validation.add(f"{column_letter}2:{column_letter}{TEMPLATE_ROWS}")


def _is_example(values: tuple) -> bool:
    first = _normal(values[0] if values else "")
    return any(first.startswith(mark) for mark in _in_every_language(EXAMPLE_MARK))


def _header_cell(sheet, column: Column):
    cell = WriteOnlyCell(sheet, value=str(column.label))
    cell.font = Font(bold=True)
    if column.required:
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
    return cell


def display_value(column: Column, value: Any) -> Any:
    """A Python value as the template expects it back (labels for choices, 是/否)."""
    if value is None:
        return None
    if column.kind == CHOICE:
        return str(dict(column.choices).get(value, value))
    if column.kind == BOOL:
        return _("yes") if value else _("no")
    return value


def iter_display(columns: list[Column], records: Iterable[dict]) -> Iterator[list[Any]]:
    """display_value for many rows: the labels are translated once per export, not per cell
    (a 320,000-row roster has 2.2 million choice cells)."""
    labels = {
        c.key: {value: str(label) for value, label in c.choices} for c in columns if c.choices
    }
    yes_no = {True: str(_("yes")), False: str(_("no"))}
    plan = [(c.key, labels.get(c.key), c.kind == BOOL) for c in columns]
    for record in records:
        row = []
        for key, choice_labels, boolean in plan:
            value = record.get(key)
            if value is not None and choice_labels is not None:
                value = choice_labels.get(value, value)
            elif value is not None and boolean:
                value = yes_no[bool(value)]
            row.append(value)
        yield row
