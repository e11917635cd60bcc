"""Import a whole organization tree from a spreadsheet, all lines or none."""

import datetime
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partybuild import sheets
from partybuild.sheets import CHOICE, DATE, INT, Column, ImportResult, RowError

from . import services
from .forms import OrganizationForm
from .models import Kind, Organization

COLUMNS = [
    Column("code", gettext_lazy("code"), required=True),
    Column("name", pgettext_lazy("organization", "name"), required=True, width=30),
    Column("kind", gettext_lazy("kind"), CHOICE, tuple(Kind.choices), required=True),
    Column("parent", gettext_lazy("parent code"), width=12),
    Column("unit", gettext_lazy("unit (organ)"), width=20),
    Column("founded_on", gettext_lazy("founded on"), DATE),
    Column("term_elected_on", gettext_lazy("current term elected on"), DATE),
    Column("term_years", gettext_lazy("term length (years)"), INT),
]


EXAMPLE = {
    "code": "B001", "name": "某某局第一党支部", "kind": Kind.BRANCH, "parent": "P001",
    "unit": "某某局", "founded_on": datetime.date(2001, 7, 1),
    "term_elected_on": datetime.date(2024, 5, 10), "term_years": 3,
}  # fmt: skip


def write_template(stream: BinaryIO) -> None:
    sheets.write_template(stream, COLUMNS, title=_("organizations"), example=EXAMPLE)


def write_organizations(stream: BinaryIO, organizations: QuerySet[Organization]) -> int:
    """The organizations in the template's columns, so the file imports as it is."""
    records = (
        {**values, "parent": values.pop("parent__code")}
        for values in organizations.order_by("depth", "code").values(
            *(c.key for c in COLUMNS if c.key != "parent"), "parent__code"
        )
    )
    rows = sheets.iter_display(COLUMNS, records)
    return sheets.write_sheet(stream, COLUMNS, rows, title=_("organizations"))


def _in_parent_order(rows: list[tuple[int, dict]], errors: list[RowError]) -> list:
    """Parents before children, whatever the file's order; reports cycles."""
    by_code = {r["code"]: (line, r) for line, r in rows if r.get("code")}
    ordered, placed, visiting = [], set(), set()

    def place(code: str) -> None:
        if code in placed:
            return
        line, record = by_code[code]
        if code in visiting:
            errors.append(RowError(line, str(COLUMNS[3].label), _("The parents form a loop.")))
            return
        visiting.add(code)
        parent = record.get("parent")
        if parent in by_code:
            place(parent)
        visiting.discard(code)
        placed.add(code)
        ordered.append((line, record))

    for code in by_code:
        place(code)
    return ordered


def organizations_import(*, file: BinaryIO, by=None) -> ImportResult:
    """Create every organization of the file under existing or imported parents.

    Every line is checked first, against the organizations of the file as well as those of
    the database; only when none is wrong are they all written, a level of the tree at once.
    A line whose parent line is wrong reports only its own faults: the parent's are named on
    the parent's line.
    """
    try:
        sheet = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(sheet.errors))
    labels = {c.key: str(c.label) for c in COLUMNS}
    _check_codes(sheet.rows, labels, result.errors)
    ordered = _in_parent_order(sheet.rows, result.errors)
    checked = _check_all(ordered, labels, result.errors)
    if not result.errors:
        services.organizations_bulk_create(organizations=checked, by=by)
        result.created = len(checked)
    result.errors = sheets.by_line(result.errors)
    return result


def _check_codes(rows, labels, errors: list[RowError]) -> None:
    """A code may stand on one line only, and not be taken in the database already."""
    seen: dict[str, int] = {}
    for line, record in rows:
        code = record.get("code")
        if code in seen:
            message = _("The same code is on line %(line)s.") % {"line": seen[code]}
            errors.append(RowError(line, labels["code"], message))
        elif code:
            seen[code] = line
    taken = set(Organization.objects.filter(code__in=seen).values_list("code", flat=True))
    for code in sorted(taken, key=seen.get):
        message = _("An organization with this code exists already.")
        errors.append(RowError(seen[code], labels["code"], message))


def _check_all(ordered, labels, errors: list[RowError]) -> list[Organization]:
    """Every line as an unsaved organization, its parent resolved by code in memory."""
    existing = {o.code: o for o in Organization.objects.all()}
    checked: dict[str, Organization] = {}
    failed: set[str] = set()
    for line, record in ordered:
        code, parent_code = record.get("code"), record.get("parent")
        parent = (checked.get(parent_code) or existing.get(parent_code)) if parent_code else None
        if parent_code and parent is None and parent_code not in failed:
            message = _("No organization with code '%(code)s'.") % {"code": parent_code}
            errors.append(RowError(line, labels["parent"], message))
        organization = _check_line(line, record, parent, labels, errors)
        if organization is None:
            failed.add(code)
        else:
            checked[code] = organization
    return list(checked.values()) if not errors else []


class _LineForm(OrganizationForm):
    def validate_unique(self) -> None:
        """Codes are checked for the whole file in one query (`_check_codes`)."""


def _check_line(line, record, parent, labels, errors) -> Organization | None:
    data = {k: v for k, v in record.items() if v is not None and k != "parent"}
    form = _LineForm(data=data, parents=None)
    if not form.is_valid():
        errors.extend(sheets.form_errors(line, form, labels))
        return None
    organization = form.save(commit=False)
    organization.parent = parent
    if parent is None and record.get("parent"):
        return None  # its parent line is wrong; the rules of placement cannot be checked
    try:
        services.organization_prepare(organization)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.extend(RowError(line, labels.get(name, ""), m) for m in messages)
        return None
    return organization
