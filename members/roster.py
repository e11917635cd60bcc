"""The roster spreadsheet: template, all-or-nothing import and export."""

import datetime
from typing import BinaryIO

from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import access
from organizations.models import Organization
from partybuild import sheets
from partybuild.forms import choices_shared
from partybuild.sheets import BOOL, CHOICE, DATE, Column, ImportResult, RowError

from .choices import CURRENT_STATUSES, ETHNIC_GROUPS, Education, Gender, Occupation, Status
from .forms import PERSONAL_FIELDS, MemberForm, current_status_choices, registered_message
from .models import Member, MembershipRecord, mask_id_number
from .services import members_bulk_create

COLUMNS = [
    Column("name", gettext_lazy("name"), required=True, width=10),
    Column("id_number", gettext_lazy("resident ID number"), required=True, width=22),
    Column("gender", gettext_lazy("gender"), CHOICE, tuple(Gender.choices), width=6),
    Column("birth_date", gettext_lazy("birth date"), DATE, width=12),
    Column("ethnicity", gettext_lazy("ethnicity"), CHOICE, tuple(ETHNIC_GROUPS), width=8),
    Column("education", gettext_lazy("education"), CHOICE, tuple(Education.choices), True),
    Column("occupation", gettext_lazy("occupation"), CHOICE, tuple(Occupation.choices), True),
    Column("phone", gettext_lazy("phone"), width=14),
    Column("status", gettext_lazy("status"), CHOICE, tuple(Status.choices), True),
    Column("organization", gettext_lazy("organization code"), required=True),
    Column("since", gettext_lazy("member of this organization since"), DATE, width=16),
    Column("joined_on", gettext_lazy("date joined the party"), DATE, width=12),
    Column("converted_on", gettext_lazy("date of conversion"), DATE, width=12),
    Column("is_retired", gettext_lazy("retired"), BOOL, width=6),
]


# The export carries the organization's name beside its code; the import ignores it, so an
# exported roster imports as it is.
_CODE = next(i for i, c in enumerate(COLUMNS) if c.key == "organization")
EXPORT_COLUMNS = [
    *COLUMNS[: _CODE + 1],
    Column("organization_name", gettext_lazy("organization name"), width=28),
    *COLUMNS[_CODE + 1 :],
]


@choices_shared
class RosterRowForm(MemberForm):
    """One spreadsheet line: personal data, plus status; the organization comes by code."""

    status = forms.ChoiceField(label=gettext_lazy("status"), choices=current_status_choices)

    def validate_unique(self) -> None:
        """ID numbers already registered are found for the whole file in one query."""


EXAMPLE = {
    "name": "张三", "id_number": "11010519491231002X", "gender": "F",
    "birth_date": datetime.date(1949, 12, 31), "ethnicity": "01", "education": "undergraduate",
    "occupation": "retired", "status": "full", "organization": "B00001",
    "since": datetime.date(2000, 1, 1), "joined_on": datetime.date(1970, 7, 1),
    "converted_on": datetime.date(1971, 7, 1), "is_retired": True,
}  # fmt: skip


def write_template(stream: BinaryIO) -> None:
    sheets.write_template(stream, COLUMNS, title=_("roster"), example=EXAMPLE)


def roster_import(
    *, file: BinaryIO, organizations: QuerySet[Organization], by=None
) -> ImportResult:
    """Validate every line; import all of them in one transaction, or none.

    `organizations` are those the importing user may change; any other code is refused.
    """
    try:
        sheet = sheets.read_sheet(file, COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(sheet.errors))
    by_code = {o.code: o for o in organizations.active()}
    labels = {c.key: str(c.label) for c in COLUMNS}
    seen: dict[str, int] = {}
    batch = []
    for line, record in sheet.rows:
        member, since = _validate_line(line, record, by_code, labels, seen, result.errors)
        if member is not None:
            batch.append((member, since))
    _check_registered(seen, by_code, labels, result.errors)
    if not sheet.rows and not result.errors:
        result.errors.append(RowError(2, "", _("The file has no members in it.")))
    if result.errors:
        result.errors = sheets.by_line(result.errors)
        return result
    members_bulk_create(members=batch, by=by)
    result.created = len(batch)
    return result


def _check_registered(lines_by_number: dict[str, int], by_code, labels, errors) -> None:
    """Numbers registered already: who holds it where the importer may see it, else only
    that it is registered elsewhere (another scope's people stay unnamed)."""
    mine = {o.pk for o in by_code.values()}
    taken = Member.objects.filter(id_number__in=list(lines_by_number)).values_list(
        "id_number", "name", "organization_id", "organization__name"
    )
    for number, name, organization_id, organization in taken:
        message = registered_message(name, organization_id, organization, scope_ids=mine)
        errors.append(RowError(lines_by_number[number], labels["id_number"], message))


def _validate_line(line, record, by_code, labels, seen, errors) -> tuple[Member | None, object]:
    organization = by_code.get(record.get("organization") or "")
    if organization is None:
        errors.append(
            RowError(
                line,
                labels["organization"],
                _("No organization with code '%(code)s' that you may change.")
                % {"code": record.get("organization") or ""},
            )
        )
    data = {k: record.get(k) for k in [*PERSONAL_FIELDS, "status"]}
    form = RosterRowForm(data={k: v for k, v in data.items() if v is not None})
    if not form.is_valid():
        errors.extend(sheets.form_errors(line, form, labels))
        return None, None
    number = form.cleaned_data["id_number"]
    if number in seen:
        errors.append(
            RowError(
                line,
                labels["id_number"],
                _("The same ID number is on line %(line)s.") % {"line": seen[number]},
            )
        )
        return None, None
    seen[number] = line
    if organization is None or form.cleaned_data["status"] not in CURRENT_STATUSES:
        return None, None
    member = form.save(commit=False)
    member.status = form.cleaned_data["status"]
    member.organization = organization
    since = record.get("since") or member.joined_on or datetime.date.today()
    if since > datetime.date.today():
        errors.append(RowError(line, labels["since"], _("The date cannot be in the future.")))
        return None, None
    return member, since


def import_as(file: BinaryIO, user) -> ImportResult:
    """The roster import with the user's own scope: what pages and import jobs run."""
    return roster_import(file=file, organizations=access.writable_organizations(user), by=user)


def member_rows(members: QuerySet[Member], *, full_ids: bool = False):
    """Export rows in template order, streamed from the database in chunks."""
    fields = [
        "name", "id_number", "gender", "birth_date", "ethnicity", "education", "occupation",
        "phone", "status", "organization__code", "organization__name", "joined_on",
        "converted_on", "is_retired", "since",
    ]  # fmt: skip
    open_since = MembershipRecord.objects.filter(
        member=OuterRef("pk"), ended_on__isnull=True
    ).values("started_on")
    members = members.annotate(since=Subquery(open_since[:1]))
    for values in (
        members.order_by("organization__code", "name", "id")
        .values(*fields)
        .iterator(chunk_size=4000)
    ):
        values["organization"] = values.pop("organization__code")
        values["organization_name"] = values.pop("organization__name")
        if not full_ids:
            values["id_number"] = mask_id_number(values["id_number"])
        yield values


def write_roster(stream: BinaryIO, members: QuerySet[Member], *, full_ids: bool = False) -> int:
    rows = sheets.iter_display(EXPORT_COLUMNS, member_rows(members, full_ids=full_ids))
    return sheets.write_sheet(stream, EXPORT_COLUMNS, rows, title=_("roster"))
