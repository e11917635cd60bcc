"""Import historical development records from a spreadsheet, all lines or none.

One line is one step of one person (found by ID number among the people the importer may
change). Lines run through `step_record` in date order, so every rule of the procedure
applies; steps only the superior may decide are recorded as approved by the importer.
People start as registered applicants (the roster import registers them).
"""

import datetime
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.idnumber import normalize_id_number
from members.models import Member
from organizations import access
from organizations.models import Organization
from partybuild import sheets
from partybuild.sheets import BOOL, CHOICE, DATE, INT, Column, ImportResult, RowError

from .models import Approval, Channel, StepKind, Vote
from .services import step_approve, step_record

VOTE_COLUMNS = ["should_attend", "present", "yes", "no", "abstain", "written_yes", "written_no"]
COLUMNS = [
    Column("id_number", gettext_lazy("resident ID number"), required=True, width=22),
    Column("kind", gettext_lazy("step"), CHOICE, tuple(StepKind.choices), required=True, width=30),
    Column("on", gettext_lazy("date"), DATE, required=True, width=12),
    Column("channel", gettext_lazy("recommended by"), CHOICE, tuple(Channel.choices)),
    Column("people", gettext_lazy("ID numbers of contact persons or introducers"), width=40),
    Column("publicity_from", gettext_lazy("publicity from"), DATE, width=12),
    Column("publicity_to", gettext_lazy("publicity to"), DATE, width=12),
    Column("training_days", gettext_lazy("training days"), INT),
    Column("training_hours", gettext_lazy("class hours"), INT),
    Column("approver", gettext_lazy("approving organization code")),
    Column("special_case", gettext_lazy("special case (longer time limit)"), BOOL),
    Column("extension_months", gettext_lazy("extension (months)"), INT),
    Column("should_attend", gettext_lazy("full members who should attend"), INT),
    Column("present", gettext_lazy("full members present"), INT),
    Column("yes", gettext_lazy("yes"), INT),
    Column("no", gettext_lazy("no"), INT),
    Column("abstain", gettext_lazy("abstain"), INT),
    Column("written_yes", gettext_lazy("written yes of absent members"), INT),
    Column("written_no", gettext_lazy("written no of absent members"), INT),
    Column("note", gettext_lazy("note"), width=30),
]
ORDER = {kind: i for i, kind in enumerate(StepKind.values)}


EXAMPLE = {
    "id_number": "11010519491231002X", "kind": StepKind.APPLICATION,
    "on": datetime.date(2024, 3, 1), "note": "",
}  # fmt: skip


def write_template(stream: BinaryIO) -> None:
    sheets.write_template(stream, COLUMNS, title=_("development"), example=EXAMPLE)


def development_import(*, file: BinaryIO, members: QuerySet[Member], by) -> ImportResult:
    """`members`: the people the importing user may change (their scope)."""
    try:
        sheet = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(sheet.errors))
    if result.errors:
        return result
    rows = sorted(sheet.rows, key=lambda r: (r[1]["id_number"], r[1]["on"], ORDER[r[1]["kind"]]))
    return sheets.import_each(
        rows, lambda line, record: _import_line(line, record, members, by, result), result
    )


def import_as(file: BinaryIO, user) -> ImportResult:
    """The import with the user's own scope: what pages and import jobs run."""
    members = access.scoped(Member.objects, user, write=True)
    return development_import(file=file, members=members, by=user)


def _import_line(line: int, record: dict, members, by, result: ImportResult) -> None:
    labels = {c.key: str(c.label) for c in COLUMNS}
    labels["approving_organization"] = labels["approver"]
    number = normalize_id_number(record["id_number"] or "")
    member = members.filter(id_number=number).first()
    if member is None:
        message = _("No person with this ID number that you may change.")
        result.errors.append(RowError(line, labels["id_number"], message))
        return
    try:
        with transaction.atomic():
            step = step_record(member=member, by=by, **_arguments(record, members))
            if step.approval == Approval.PENDING:
                step_approve(step=step, by=by)
    except ValidationError as exc:
        for field, messages in _messages(exc):
            result.errors.extend(RowError(line, labels.get(field, ""), m) for m in messages)
        return
    result.created += 1


def _arguments(record: dict, members) -> dict:
    arguments = {"kind": record["kind"], "on": record["on"], "note": record.get("note") or ""}
    for key in ("channel", "publicity_from", "publicity_to", "training_days", "training_hours",
                "extension_months"):  # fmt: skip
        if record.get(key) is not None:
            arguments[key] = record[key]
    arguments["special_case"] = bool(record.get("special_case"))
    if record.get("approver"):
        approver = Organization.objects.filter(code=record["approver"]).first()
        if approver is None:
            raise ValidationError(
                {
                    "approver": _("No organization with code '%(code)s'.")
                    % {"code": record["approver"]}
                }
            )
        arguments["approving_organization"] = approver
    if record.get("people"):
        numbers = [
            normalize_id_number(n) for n in str(record["people"]).replace("；", ";").split(";")
        ]
        people = list(Member.objects.filter(id_number__in=[n for n in numbers if n]))
        if len(people) != len([n for n in numbers if n]):
            raise ValidationError(
                {"people": _("An ID number in this cell is not in the registry.")}
            )
        arguments["people"] = people
    if record.get("should_attend") is not None:
        arguments["vote"] = Vote(**{k: record.get(k) or 0 for k in VOTE_COLUMNS})
    return arguments


def _messages(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return [(field, [str(m) for e in errors for m in e.messages])
                for field, errors in exc.error_dict.items()]  # fmt: skip
    return [("", exc.messages)]
