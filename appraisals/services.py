"""Appraisal transitions: open a campaign, save and submit a sheet, decide, dispose.

Every rule of domain.md section 3 lives here; pages and the Excel import call these only.
Refusals raise ValidationError with the reason in plain words.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from development.models import StepKind
from development.services import step_record
from members.choices import PARTY_MEMBER_STATUSES, Status
from members.models import DisciplinaryAction, Member, MembershipRecord
from members.services import member_leave
from organizations.models import Organization, Policy
from organizations.models import Status as OrgStatus
from partybuild.bulk import copy_rows
from partybuild.dates import add_months
from partybuild.integrity import refuse_duplicates

from .models import (
    FULL_MEMBERS_ONLY,
    GRADES_NEEDING_REMARK,
    NEEDS_APPROVAL,
    PROBATIONARY_ONLY,
    Campaign,
    Disposition,
    DispositionKind,
    Entry,
    Exemption,
    Grade,
    Outcome,
    Sheet,
    SheetStatus,
)

# The fields of an entry the branch fills in, in the grid's order.
ENTRY_FIELDS = (
    "exemption", "exemption_note", "self_assessment", "mutual_evaluation", "votes_excellent",
    "votes_qualified", "votes_basic", "votes_unqualified", "grade", "remark",
)  # fmt: skip


def _refuse(message: str, field_name: str | None = None) -> None:
    raise ValidationError({field_name: message} if field_name else message)


# -- campaigns ---------------------------------------------------------------------------


@transaction.atomic
def campaign_open(
    *, organization: Organization, by=None, progress=lambda percent: None, **fields
) -> Campaign:
    """Open a campaign over the subtree: a sheet for each organization holding party members
    on the first day, an entry for each of those members. `progress(percent)` hears how far
    it got (a city-wide campaign runs as a job whose page shows it)."""
    campaign = Campaign(organization=organization, opened_by=by, **fields)
    _check_campaign(campaign)
    records = list(
        MembershipRecord.objects.as_of(campaign.starts_on)
        .filter(
            status__in=PARTY_MEMBER_STATUSES,
            organization__in=Organization.objects.subtree_of(organization.pk).filter(
                status=OrgStatus.ACTIVE
            ),
        )
        .values_list("organization_id", "member_id", "status")
    )
    if not records:
        _refuse(_("No party members belonged to this subtree on the first day."), "starts_on")
    progress(25)
    taken = Sheet.objects.filter(
        year=campaign.year, organization_id__in={r[0] for r in records}
    ).select_related("organization")
    if taken:
        names = "、".join(s.organization.name for s in taken[:5])
        _refuse(
            _("These organizations are already in a campaign for %(year)s: %(names)s.")
            % {"year": campaign.year, "names": names}
        )
    campaign.save()
    sheets = {
        org_id: Sheet(campaign=campaign, organization_id=org_id, year=campaign.year)
        for org_id in sorted({r[0] for r in records})
    }
    message = _("A campaign for %(year)s over these organizations was opened at the same moment.")
    with refuse_duplicates(message % {"year": campaign.year}):
        bulk_create_with_history(list(sheets.values()), Sheet, batch_size=2000, default_user=by)
    progress(50)
    sheet_ids = dict(Sheet.objects.filter(campaign=campaign).values_list("organization_id", "pk"))
    entries = [
        {"sheet_id": sheet_ids[org_id], "member_id": member_id,
         "probationary": status == Status.PROBATIONARY}
        for org_id, member_id, status in records
    ]  # fmt: skip
    copy_rows(Entry, entries)  # COPY: the city's 300,000 entries in seconds
    return campaign


def _check_campaign(campaign: Campaign) -> None:
    errors = {}
    if campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = _("The period ends before it starts.")
    if campaign.deadline < campaign.starts_on:
        errors["deadline"] = _("The deadline is before the period starts.")
    if campaign.cap_applies and not (0 < campaign.cap_numerator <= campaign.cap_denominator):
        errors["cap_numerator"] = _("The share must be a fraction between 0 and 1, e.g. 1 of 3.")
    if errors:
        raise ValidationError(errors)


# -- sheets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A value someone else saved while the user was editing."""

    entry: Entry
    field: str
    was: object
    now: object

    @property
    def label(self) -> str:
        return Entry._meta.get_field(self.field).verbose_name

    @property
    def was_shown(self) -> str:
        return shown(self.field, self.was)

    @property
    def now_shown(self) -> str:
        return shown(self.field, self.now)


def shown(field_name: str, value) -> str:
    """A value as the grid shows it: choice labels, yes/no, a dash for empty."""
    field = Entry._meta.get_field(field_name)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


class SheetChanged(Exception):
    """The sheet was saved by someone else since the user opened it."""

    def __init__(self, sheet: Sheet, changes: list[Change]):
        super().__init__("sheet changed")
        self.sheet = sheet
        self.changes = changes


def entry_values(entry: Entry) -> dict:
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


def _locked(sheet: Sheet) -> Sheet:
    return Sheet.objects.select_for_update().select_related("campaign").get(pk=sheet.pk)


def _changes(entries: list[Entry], seen: dict[int, dict]) -> list[Change]:
    changes = []
    for entry in entries:
        before = seen.get(entry.pk, {})
        for name, now in entry_values(entry).items():
            if name in before and before[name] != now:
                changes.append(Change(entry, name, before[name], now))
    return changes


VOTES = ("votes_excellent", "votes_qualified", "votes_basic", "votes_unqualified")


def should_vote(entries_values) -> int:
    """Members who should take part: every row not exempted."""
    return sum(1 for values in entries_values if not values["exemption"])


def row_problems(values: dict, voters: int | None = None) -> list[str]:
    """What is wrong within one row, whether the sheet is a draft or submitted. `voters`:
    how many voted, which no row's votes may exceed."""
    problems = []
    votes = [values.get(name) or 0 for name in VOTES]
    if any(v < 0 for v in votes):
        problems.append(_("Votes: a count cannot be negative."))
    elif voters is not None and sum(votes) > voters:
        problems.append(
            _("Votes: %(sum)s in all, more than the %(voters)s members who voted.")
            % {"sum": sum(votes), "voters": voters}
        )
    if values["exemption"] and values["grade"]:
        problems.append(_("An exempted member gets no grade."))
    if values["exemption"] == Exemption.OTHER and not values["exemption_note"].strip():
        problems.append(_("Say why the member is exempted."))
    return problems


@transaction.atomic
def sheet_save(
    *,
    sheet: Sheet,
    rows: dict[int, dict],
    version: int,
    seen: dict[int, dict],
    by=None,
    voters: int | None = None,
) -> Sheet:
    """Save the branch's values (entry id -> field values) as a draft.

    `version` is the sheet's version when the user opened it and `seen` the values shown
    then: if anyone saved in between, nothing is written and SheetChanged lists what the
    other save changed.
    """
    sheet = _locked(sheet)
    if not sheet.editable:
        _refuse(_("This sheet is %(status)s and locked.") % {"status": sheet.get_status_display()})
    entries = {e.pk: e for e in sheet.entries.select_related("member")}
    if sheet.version != version:
        raise SheetChanged(sheet, _changes(list(entries.values()), seen))
    problems = {}
    if any(entry_id not in entries for entry_id in rows):
        _refuse(_("A row does not belong to this sheet."))
    after = {pk: rows.get(pk) or entry_values(entry) for pk, entry in entries.items()}
    should = should_vote(after.values())
    if voters is not None and voters > should:
        _refuse(
            _("%(voters)s members voted, more than the %(should)s who should take part.")
            % {"voters": voters, "should": should},
            "voters",
        )
    limit = should if voters is None else voters
    for entry_id, values in rows.items():
        found = row_problems(values, limit)
        if found:
            problems[entry_id] = found
    if problems:
        raise ValidationError(
            [f"{entries[pk].member.name}: {' '.join(msgs)}" for pk, msgs in problems.items()]
        )
    for entry_id, values in rows.items():
        entry = entries[entry_id]
        if entry_values(entry) != values:
            for name, value in values.items():
                setattr(entry, name, value)
            entry._history_user = by
            entry.save()
    sheet.version += 1
    sheet.voters = voters
    if sheet.status == SheetStatus.NOT_STARTED:
        sheet.status = SheetStatus.DRAFT
    sheet.saved_by, sheet.saved_at = by, timezone.now()
    sheet._history_user = by
    sheet.save()
    return sheet


def submission_problems(sheet: Sheet, entries: list[Entry]) -> list[str]:
    """Why a sheet cannot be submitted yet (an empty list when it can)."""
    problems = []
    ungraded = [e.member.name for e in entries if not e.grade and not e.exemption]
    if ungraded:
        problems.append(
            _("Grade or exempt every member; still open: %(names)s.")
            % {"names": "、".join(ungraded)}
        )
    rows = [entry_values(e) for e in entries]
    voters = sheet.voters if sheet.voters is not None else should_vote(rows)
    check_evaluations = Policy.current().appraisal_requires_evaluations
    for entry in entries:
        if (
            check_evaluations
            and entry.grade
            and not (entry.self_assessment and entry.mutual_evaluation)
        ):
            problems.append(
                _("%(name)s: graded without self-assessment and mutual evaluation.")
                % {"name": entry.member.name}
            )
        if entry.grade in GRADES_NEEDING_REMARK and not entry.remark.strip():
            problems.append(
                _("%(name)s: a remark is required for “%(grade)s”.")
                % {"name": entry.member.name, "grade": entry.get_grade_display()}
            )
        problems += [f"{entry.member.name}: {p}" for p in row_problems(entry_values(entry), voters)]
    campaign = sheet.campaign
    if campaign.cap_applies:
        graded = sum(1 for e in entries if e.grade)
        excellent = sum(1 for e in entries if e.grade == Grade.EXCELLENT)
        allowed = graded * campaign.cap_numerator // campaign.cap_denominator
        if excellent > allowed:
            problems.append(
                _(
                    "At most %(num)s of every %(den)s graded members may be excellent: "
                    "%(allowed)s of %(graded)s here, %(excellent)s were given."
                )
                % {
                    "num": campaign.cap_numerator,
                    "den": campaign.cap_denominator,
                    "allowed": allowed,
                    "graded": graded,
                    "excellent": excellent,
                }
            )
    return problems


@transaction.atomic
def sheet_submit(*, sheet: Sheet, by=None) -> Sheet:
    """Submit for the superior's decision; the sheet is locked from now on."""
    sheet = _locked(sheet)
    if not sheet.editable:
        _refuse(_("This sheet is %(status)s and locked.") % {"status": sheet.get_status_display()})
    problems = submission_problems(sheet, list(sheet.entries.select_related("member")))
    if problems:
        raise ValidationError(problems)
    return _set_status(sheet, SheetStatus.SUBMITTED, by)


@transaction.atomic
def sheet_approve(*, sheet: Sheet, by) -> Sheet:
    sheet = _locked(sheet)
    if sheet.status != SheetStatus.SUBMITTED:
        _refuse(_("Only a submitted sheet can be approved."))
    sheet.decided_by, sheet.decided_at, sheet.return_reason = by, timezone.now(), ""
    return _set_status(sheet, SheetStatus.APPROVED, by)


@transaction.atomic
def sheet_return(*, sheet: Sheet, by, reason: str) -> Sheet:
    """Return a submitted sheet, or reopen an approved one, with the reason."""
    if not reason.strip():
        _refuse(_("Say why the sheet is returned."), "reason")
    sheet = _locked(sheet)
    if sheet.status not in (SheetStatus.SUBMITTED, SheetStatus.APPROVED):
        _refuse(_("Only a submitted or approved sheet can be returned."))
    if sheet.entries.filter(dispositions__isnull=False).exists():
        _refuse(_("Dispositions are recorded on this sheet; it can no longer be reopened."))
    sheet.decided_by, sheet.decided_at, sheet.return_reason = by, timezone.now(), reason.strip()
    return _set_status(sheet, SheetStatus.RETURNED, by)


def _set_status(sheet: Sheet, status: str, by) -> Sheet:
    sheet.status = status
    sheet.version += 1
    sheet._history_user = by
    sheet.save()
    return sheet


# -- dispositions of unqualified members -------------------------------------------------


def _discipline_on(member: Member, day: datetime.date) -> DisciplinaryAction | None:
    actions = member.disciplinary_actions.filter(decided_on__lte=day)
    return next((a for a in actions if a.in_effect_on(day)), None)


def _check_disposition(entry: Entry, kind: str, decided_on: datetime.date) -> None:
    if entry.sheet.status != SheetStatus.APPROVED or entry.grade != Grade.UNQUALIFIED:
        _refuse(_("Dispositions follow an approved grade of “unqualified”."))
    if decided_on > timezone.localdate():
        _refuse(_("The date is in the future."), "decided_on")
    earlier = list(entry.dispositions.exclude(outcome=Outcome.RETURNED))
    if any(d.outcome != Outcome.NOT_RECTIFIED for d in earlier):
        _refuse(_("This member already has a disposition under way or carried out."))
    discipline = _discipline_on(entry.member, decided_on)
    if kind == DispositionKind.DISCIPLINED and discipline is None:
        _refuse(_("No party discipline is in effect for this member."), "kind")
    if kind != DispositionKind.DISCIPLINED and discipline is not None:
        _refuse(
            _(
                "The member is already under party discipline (%(kind)s of %(date)s): no "
                "disposition is made for the same matter; record it as handled by discipline."
            )
            % {"kind": discipline.get_kind_display(), "date": discipline.decided_on},
            "kind",
        )
    if entry.probationary and kind in FULL_MEMBERS_ONLY:
        _refuse(
            _(
                "A probationary member is not persuaded to withdraw or removed: extend or "
                "cancel the probation instead."
            ),
            "kind",
        )
    if not entry.probationary and kind in PROBATIONARY_ONLY:
        _refuse(_("Only a probationary member's probation can be extended or cancelled."), "kind")


@transaction.atomic
def disposition_record(
    *, entry: Entry, kind: str, decided_on: datetime.date, by=None, **details
) -> Disposition:
    """Record the member meeting's decision on an unqualified member."""
    entry = Entry.objects.select_for_update().select_related("sheet", "member").get(pk=entry.pk)
    _check_disposition(entry, kind, decided_on)
    disposition = Disposition(entry=entry, kind=kind, decided_on=decided_on, recorded_by=by,
                              **details)  # fmt: skip
    if kind == DispositionKind.RECTIFY:
        months = Policy.current().rectification_months
        disposition.rectify_by = add_months(decided_on, months)
        disposition.outcome = Outcome.IN_PROGRESS
    elif kind in NEEDS_APPROVAL:
        disposition.outcome = Outcome.PENDING
    else:
        disposition.outcome, disposition.outcome_on = Outcome.DONE, decided_on
    disposition._history_user = by
    disposition.save()
    return disposition


@transaction.atomic
def disposition_approve(*, disposition: Disposition, by) -> Disposition:
    """The superior approves; the registry follows (removed, withdrawn, probation)."""
    disposition = _locked_disposition(disposition)
    if disposition.outcome != Outcome.PENDING:
        _refuse(_("Only a disposition waiting for a decision can be approved."))
    member, today = disposition.entry.member, timezone.localdate()
    reason = str(disposition.get_kind_display())
    if disposition.kind == DispositionKind.REMOVE:
        member_leave(member=member, status=Status.REMOVED, on=today, reason=reason, by=by)
    elif disposition.kind == DispositionKind.PERSUADE:
        member_leave(member=member, status=Status.WITHDRAWN, on=today, reason=reason, by=by)
    elif disposition.kind == DispositionKind.EXTEND_PROBATION:
        step_record(member=member, kind=StepKind.PROBATION_EXTENDED, on=disposition.decided_on,
                    by=by, extension_months=disposition.extension_months, note=reason)  # fmt: skip
    elif disposition.kind == DispositionKind.CANCEL_PROBATION:
        step_record(member=member, kind=StepKind.PROBATION_CANCELLED,
                    on=disposition.decided_on, by=by, note=reason)  # fmt: skip
    disposition.outcome, disposition.outcome_on, disposition.decided_by = Outcome.DONE, today, by
    disposition._history_user = by
    disposition.save()
    return disposition


@transaction.atomic
def disposition_return(*, disposition: Disposition, by, reason: str) -> Disposition:
    if not reason.strip():
        _refuse(_("Say why the disposition is returned."), "reason")
    disposition = _locked_disposition(disposition)
    if disposition.outcome != Outcome.PENDING:
        _refuse(_("Only a disposition waiting for a decision can be returned."))
    disposition.outcome, disposition.decided_by = Outcome.RETURNED, by
    disposition.return_reason = reason.strip()
    disposition._history_user = by
    disposition.save()
    return disposition


@transaction.atomic
def disposition_conclude(
    *, disposition: Disposition, rectified: bool, on: datetime.date, by=None
) -> Disposition:
    """The outcome of a rectification at the end of its period."""
    disposition = _locked_disposition(disposition)
    if disposition.outcome != Outcome.IN_PROGRESS:
        _refuse(_("Only a running rectification can be concluded."))
    if on < disposition.decided_on or on > timezone.localdate():
        _refuse(_("The date must lie between the decision and today."), "on")
    if not rectified and on < disposition.rectify_by:
        _refuse(
            _("The period runs until %(date)s; judge the outcome at its end.")
            % {"date": disposition.rectify_by},
            "on",
        )
    disposition.outcome = Outcome.RECTIFIED if rectified else Outcome.NOT_RECTIFIED
    disposition.outcome_on = on
    disposition._history_user = by
    disposition.save()
    return disposition


def _locked_disposition(disposition: Disposition) -> Disposition:
    return (
        Disposition.objects.select_for_update()
        .select_related("entry__member", "entry__sheet")
        .get(pk=disposition.pk)
    )
