"""What a workbook cell may hold, for every workbook the project writes.

- Text loses the control characters no spreadsheet can hold (one bad name must never break
  a whole export).
- Text that begins with "=" stays text: only a `Formula` is written as a formula, so an
  organization called "=HYPERLINK(...)" is shown, never run.
- Sheet titles lose the characters Excel forbids in them ("财政局/税务局联合党支部").
"""

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAX_TITLE = 31  # Excel's limit for a sheet's title
_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


class Formula(str):
    """A formula the code writes on purpose, such as =SUM(B3:B9)."""


def clean_text(value):
    """Drop control characters from text; other values pass unchanged."""
    if isinstance(value, str) and not isinstance(value, Formula):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def keep_text(cell, value) -> None:
    """Undo openpyxl's reading of text that begins with "=" as a formula."""
    if isinstance(value, str) and not isinstance(value, Formula) and cell.data_type == "f":
        cell.data_type = "s"


def put(sheet, row: int, column: int, value):
    """Write one value of a normal (not write-only) sheet by these rules; returns the cell."""
    cell = sheet.cell(row, column)
    cell.value = clean_text(value)
    keep_text(cell, value)
    return cell


def safe_title(text: str, fallback: str = "Sheet") -> str:
    """A sheet title Excel accepts: no \\ / ? * [ ] :, no quote at either end, 31 at most."""
    title = _TITLE_FORBIDDEN.sub("_", clean_text(str(text))).strip().strip("'")[:MAX_TITLE]
    return title or fallback
