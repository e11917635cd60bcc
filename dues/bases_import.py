"""The year's bases of a branch from a spreadsheet: one member a line (by ID number), the
category, the base and, where the branch decided one, the amount. All lines or none, errors
by line and column, each line checked by the same service as the grid (dues.services)."""

import datetime
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.idnumber import normalize_id_number
from members.models import Member
from organizations.models import Organization
from partybuild import sheets
from partybuild.sheets import CHOICE, MONEY, Column, ImportResult, RowError

from .owing import OWING
from .rules import Category
from .services import basis_set

COLUMNS = [
    Column("id_number", gettext_lazy("ID number"), required=True, width=22),
    Column("name", gettext_lazy("name"), width=12),
    Column("category", gettext_lazy("category"), CHOICE, tuple(Category.choices),
           required=True, width=16),
    Column("base", gettext_lazy("base (after-tax monthly pay or pension)"), MONEY, width=16),
    Column("amount", gettext_lazy("monthly amount"), MONEY, width=12),
    Column("decision", gettext_lazy("branch decision to pay less"), width=30),
]  # fmt: skip
EXAMPLE = {"id_number": "110105198506150012", "name": "张三", "category": Category.EMPLOYED,
           "base": "6200.00", "amount": None, "decision": ""}  # fmt: skip


def write_template(stream: BinaryIO) -> None:
    sheets.write_template(stream, COLUMNS, title=_("dues bases"), example=EXAMPLE)


def bases_import(*, file: BinaryIO, branch: Organization, year: int, by=None) -> ImportResult:
    try:
        sheet = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(sheet.errors))
    if result.errors:
        result.errors = sheets.by_line(result.errors)
        return result
    members = {m.id_number: m for m in Member.objects.filter(organization=branch,
                                                             status__in=OWING)}  # fmt: skip
    labels = {c.key: str(c.label) for c in COLUMNS}
    seen: set[int] = set()

    def import_line(line: int, record: dict) -> None:
        member = members.get(normalize_id_number(record["id_number"] or ""))
        if member is None:
            result.errors.append(RowError(line, labels["id_number"], _(
                "No full or probationary member of the branch has this ID number.")))  # fmt: skip
            return
        if record.get("name") and record["name"].strip() != member.name:
            result.errors.append(RowError(line, labels["name"], _(
                "The ID number belongs to %(name)s.") % {"name": member.name}))  # fmt: skip
            return
        if member.pk in seen:
            message = _("A second line for the same member.")
            result.errors.append(RowError(line, labels["id_number"], message))
            return
        seen.add(member.pk)
        try:
            basis_set(
                member=member, starts=datetime.date(year, 1, 1), by=by,
                category=record["category"], base=record.get("base"),
                amount=record.get("amount"), decision=record.get("decision") or "",
            )  # fmt: skip
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                result.errors.extend(RowError(line, labels.get(field, ""), m) for m in messages)
            return
        result.created += 1

    return sheets.import_each(sheet.rows, import_line, result)
