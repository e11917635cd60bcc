"""A faster row writer for openpyxl's write-only worksheets.

openpyxl's write-only mode builds a cell object per value and writes each through five
nested XML contexts: about 45,000 cells a second here, so a 320,000-row roster of 16
columns took over 100 seconds. A row of plain values (text, whole numbers, decimals,
dates, booleans, blanks) needs none of that: this writer formats the row's XML as one
string and writes it to the sheet's file between openpyxl's own writes, several times
faster (``bench/stats.py``).

Everything else stays openpyxl's: the workbook, styles, frozen panes, column widths and
any row that holds a styled cell or another type of value. The written cells are those
openpyxl writes for the same values, with one deliberate difference: text beginning with
"=" stays text and never becomes a formula. Tests read the files back with openpyxl.
"""

import datetime
import decimal
import re
from xml.sax.saxutils import escape

from openpyxl import LXML
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file

from .cells import clean_text, keep_text

MAX_TEXT = 32767  # Excel's limit; openpyxl cuts longer text to it as well
_PLAIN = frozenset({str, int, decimal.Decimal, datetime.date, bool, type(None)})
_NEEDS_CARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>\r]")
_ENTITIES = {"\r": "&#13;"}  # a bare carriage return would be read back as a line feed
# Windows serial of 1900-03-01: below it Excel counts a 29 February 1900 that never was.
_FIRST_SAFE_DATE = datetime.date(1900, 3, 1)


def add_sheet(workbook: Workbook, title: str) -> WriteOnlyWorksheet:
    """A new write-only sheet of ``workbook`` whose plain rows take the fast path."""
    sheet = PlainRowsWorksheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet


class NotPlain(Exception):
    """The row needs openpyxl's own path: it has row dimensions of its own."""


class _PlainRow(list):
    """The values of a row that the fast path writes (marks it for the writer)."""


class PlainRowsWorksheet(WriteOnlyWorksheet):
    def _get_writer(self):
        if self._writer is None:
            self._writer = PlainRowsWriter(self)
            self._writer.write_top()

    def _values_to_row(self, values, row_idx):
        plain = isinstance(values, (list, tuple)) and all(type(v) in _PLAIN for v in values)
        if plain and self._writer.fast:
            return _PlainRow(values)
        return self.openpyxl_cells(values, row_idx)

    def openpyxl_cells(self, values, row_idx):
        """The row as openpyxl's own cells, for its own writer (by partybuild.cells' rules)."""
        values = [clean_text(v) for v in values]
        for cell in super()._values_to_row(values, row_idx):
            keep_text(cell, values[cell.column - 1])
            yield cell


class PlainRowsWriter(WorksheetWriter):
    """Writes through a file it opens itself, so plain rows can go to it directly once
    lxml has flushed what openpyxl wrote before them."""

    def __init__(self, ws):
        path = create_temporary_file()
        self.file = open(path, "wb")  # noqa: SIM115 - closed in close()
        super().__init__(ws, out=self.file)
        self.out = path  # openpyxl copies the finished sheet into the archive by path
        workbook = ws.parent
        self.fast = LXML and workbook.epoch == WINDOWS_EPOCH and not workbook.iso_dates
        # The style openpyxl gives a date cell (format yyyy-mm-dd), registered once.
        self.date_style = WriteOnlyCell(ws, value=datetime.date(2000, 1, 1)).style_id
        self.epoch = WINDOWS_EPOCH.date()
        self.letters = [get_column_letter(i) for i in range(1, 101)]

    def close(self):
        super().close()
        self.file.close()

    def write_row(self, xf, row, row_idx):
        if isinstance(row, _PlainRow):
            try:
                if row_idx in self.ws.row_dimensions:  # a height or style of its own
                    raise NotPlain
                text = self.row_xml(row, row_idx)
            except NotPlain:
                row = self.ws.openpyxl_cells(row, row_idx)
            else:
                xf.flush()
                self.file.write(text.encode())
                return
        super().write_row(xf, row, row_idx)

    def row_xml(self, values, row_idx) -> str:
        """The row's XML. The common types are inlined: this runs for every cell."""
        if len(values) > len(self.letters):
            self.letters = [get_column_letter(i) for i in range(1, len(values) + 1)]
        parts = [f'<row r="{row_idx}">']
        for letter, value in zip(self.letters, values, strict=False):
            kind = type(value)
            if value is None:
                continue
            if kind is str and value:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(
                    f'<c r="{letter}{row_idx}" t="inlineStr"><is><t{space}>'
                    f"{text_xml(value)}</t></is></c>"
                )
            elif kind is datetime.date:
                parts.append(
                    f'<c r="{letter}{row_idx}" s="{self.date_style}" t="n">'
                    f"<v>{self.serial(value)}</v></c>"
                )
            else:
                parts.append(other_cell_xml(f"{letter}{row_idx}", value))
        parts.append("</row>")
        return "".join(parts)

    def serial(self, value: datetime.date) -> int:
        days = (value - self.epoch).days
        return days - 1 if value < _FIRST_SAFE_DATE and days > 0 else days


def text_xml(value: str) -> str:
    value = value[:MAX_TEXT]
    if not _NEEDS_CARE.search(value):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # what no workbook can hold is dropped
    return escape(value, _ENTITIES)


def other_cell_xml(ref: str, value) -> str:
    """The cell of an empty text, a boolean or a number, as openpyxl writes it."""
    if type(value) is str:
        return f'<c r="{ref}" t="inlineStr"></c>'
    if type(value) is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if type(value) is decimal.Decimal and not value.is_finite():
        return f'<c r="{ref}" t="n"></c>'
    return f'<c r="{ref}" t="n"><v>{value}</v></c>'
