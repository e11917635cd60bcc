"""The fast row writer writes what openpyxl's own write-only sheet writes."""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from partybuild import plainrows

ROWS = [
    ["张三", "110101********1234", datetime.date(1980, 1, 2), 42, Decimal("12.50"), True],
    ["a & b <c>", " padded ", datetime.date(1900, 2, 28), 0, Decimal("-0.01"), False],
    ["line\r\nbreak", "tab\tin", datetime.date(1900, 3, 1), -7, None, None],
    [None, "", datetime.date(2026, 12, 31), 10**12, Decimal("3"), None],
]


def _write(rows, *, fast: bool) -> io.BytesIO:
    workbook = Workbook(write_only=True)
    sheet = plainrows.add_sheet(workbook, "t") if fast else workbook.create_sheet("t")
    header = WriteOnlyCell(sheet, value="header")
    header.font = Font(bold=True)
    sheet.append([header, "plain"])
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def _cells(stream):
    sheet = load_workbook(stream).active
    return [
        [(c.value, c.data_type, c.number_format, c.font.b) for c in row]
        for row in sheet.iter_rows()
    ]


def test_fast_rows_read_back_as_openpyxls_own():
    fast, slow = _cells(_write(ROWS, fast=True)), _cells(_write(ROWS, fast=False))
    assert fast == slow
    assert fast[1][2][0] == datetime.datetime(1980, 1, 2)
    assert fast[1][2][2] == "yyyy-mm-dd"
    assert fast[2][0][0] == "a & b <c>"
    assert fast[2][1][0] == " padded "
    assert fast[2][2][0] == datetime.datetime(1900, 2, 28)
    assert fast[3][0][0] == "line\r\nbreak"
    assert fast[0][0][3] is True  # the styled header cell went through openpyxl


def test_fast_rows_keep_text_that_looks_like_a_formula_as_text():
    sheet = load_workbook(_write([["=1+1", '=HYPERLINK("x")']], fast=True)).active
    assert [c.value for c in sheet[2]] == ["=1+1", '=HYPERLINK("x")']
    assert all(c.data_type == "s" for c in sheet[2])


def test_other_values_take_openpyxls_path():
    moment = datetime.datetime(2026, 11, 22, 9, 30)
    sheet = load_workbook(_write([["x", moment, 1.5]], fast=True)).active
    assert [c.value for c in sheet[2]] == ["x", moment, 1.5]


def test_a_row_with_its_own_height_keeps_it():
    workbook = Workbook(write_only=True)
    sheet = plainrows.add_sheet(workbook, "t")
    sheet.row_dimensions[2].height = 30
    sheet.append(["one"])
    sheet.append(["two"])
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    read = load_workbook(stream).active
    assert [read["A1"].value, read["A2"].value] == ["one", "two"]
    assert read.row_dimensions[2].height == 30


def test_a_character_no_workbook_can_hold_is_dropped_on_either_path():
    """One bad name must not break a whole export (partybuild.cells)."""
    fast = _write([["bell\x07", "tab\x0bbed"]], fast=True)
    slow = _write([["bell\x07", 1.5, "=not a formula"]], fast=True)  # a float: openpyxl's path
    assert [c.value for c in load_workbook(fast).active[2]] == ["bell", "tabbed"]
    cells = load_workbook(slow).active[2]
    assert [c.value for c in cells] == ["bell", 1.5, "=not a formula"]
    assert cells[2].data_type == "s"
