"""Import a whole organization tree from a spreadsheet, all lines or none."""

from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
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


def write_template(stream: BinaryIO) -> None:
    sheets.write_sheet(stream, COLUMNS, [], title=_("organizations"))


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


class _Rollback(Exception):
    pass


def organizations_import(*, file: BinaryIO) -> ImportResult:
    """Create every organization of the file under existing or imported parents."""
    try:
        sheet = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult(errors=[RowError(1, "", str(exc))])
    result = ImportResult(errors=list(sheet.errors))
    labels = {c.key: str(c.label) for c in COLUMNS}
    seen: dict[str, int] = {}
    for line, record in sheet.rows:
        code = record.get("code")
        if code in seen:
            result.errors.append(
                RowError(
                    line,
                    labels["code"],
                    _("The same code is on line %(line)s.") % {"line": seen[code]},
                )
            )
        elif code:
            seen[code] = line
    ordered = _in_parent_order(sheet.rows, result.errors)
    try:
        with transaction.atomic():
            _create_all(ordered, labels, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    result.errors.sort(key=lambda e: e.line)
    return result


def _create_all(ordered, labels, result: ImportResult) -> None:
    created: dict[str, Organization] = {}
    existing = {o.code: o for o in Organization.objects.all()}
    for line, record in ordered:
        parent_code = record.get("parent")
        parent = created.get(parent_code) or existing.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            result.errors.append(
                RowError(
                    line,
                    labels["parent"],
                    _("No organization with code '%(code)s'.") % {"code": parent_code},
                )
            )
            continue
        data = {k: v for k, v in record.items() if v is not None and k != "parent"}
        data["parent"] = parent.pk if parent else None
        form = OrganizationForm(
            data=data, parents=Organization.objects.all(), parent_required=False
        )
        if not form.is_valid():
            result.errors.extend(sheets.form_errors(line, form, labels))
            continue
        try:
            with transaction.atomic():
                org = services.organization_create(organization=form.save(commit=False))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                result.errors.extend(RowError(line, labels.get(name, ""), m) for m in messages)
            continue
        created[org.code] = org
        result.created += 1
