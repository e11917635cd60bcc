"""Writes to the member registry. Status and organization change only through here,
so the dated membership records always agree with the member row."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization
from partybuild.integrity import refuse_duplicates

from .choices import (
    CURRENT_STATUSES,
    LEAVING_EVENTS,
    LEFT_STATUSES,
    Event,
    Status,
)
from .models import Member, MembershipRecord
from .pinyin import pinyin_keys
from .tallies import tally_add, tally_add_many

# The event that a move to each status records, when it is a normal step forward.
_STEP_EVENTS = {
    Status.ACTIVIST: Event.PROMOTED,
    Status.TARGET: Event.PROMOTED,
    Status.PROBATIONARY: Event.ADMITTED,
    Status.FULL: Event.CONVERTED,
}
_ORDER = [Status.APPLICANT, Status.ACTIVIST, Status.TARGET, Status.PROBATIONARY, Status.FULL]


def _lock(member: Member) -> None:
    """Lock the person's row for this transaction and check that the caller's copy still
    holds what the database holds: of two changes submitted at the same moment, the second
    is refused instead of being applied to a state that no longer exists (the kept
    per-organization counts would drift)."""
    current = (
        Member.objects.select_for_update()
        .only("status", "organization_id", "left_on")
        .get(pk=member.pk)
    )
    if (current.status, current.organization_id, current.left_on) != (
        member.status,
        member.organization_id,
        member.left_on,
    ):
        raise ValidationError(
            _(
                "This person's record was changed by someone else meanwhile. Reload the page "
                "to see the change, then try again."
            )
        )


def _check_date(on: datetime.date) -> None:
    if on > datetime.date.today():
        raise ValidationError({"on": _("The date cannot be in the future.")})


def _open_record(member: Member) -> MembershipRecord | None:
    return (
        MembershipRecord.objects.select_for_update()
        .filter(member=member, ended_on__isnull=True)
        .first()
    )


def _close(record: MembershipRecord, on: datetime.date, event: str) -> None:
    if on < record.started_on:
        raise ValidationError(
            {
                "on": _("The date cannot be before the current record began (%(date)s).")
                % {"date": record.started_on.isoformat()}
            }
        )
    record.ended_on = on
    record.end_event = event
    record.save(update_fields=["ended_on", "end_event"])


def _next_record(
    member: Member,
    *,
    organization_id: int,
    status: str,
    on: datetime.date,
    event: str,
    by,
    end_event: str = "",
) -> None:
    """Close the open record on `on` (with `end_event`, else `event`) and open the next one
    from the same day."""
    record = _open_record(member)
    if record:
        _close(record, on, end_event or event)
    MembershipRecord.objects.create(
        member=member,
        organization_id=organization_id,
        status=status,
        started_on=on,
        start_event=event,
        recorded_by=by,
    )


def _check_organization_accepts(organization: Organization) -> None:
    if not organization.is_active:
        raise ValidationError({"organization": _("This organization has been dissolved.")})


@transaction.atomic
def member_create(
    *, member: Member, since: datetime.date, event: str = Event.REGISTERED, by=None
) -> Member:
    """Enter a person in the registry with their first membership record."""
    if member.status not in CURRENT_STATUSES:
        raise ValidationError({"status": _("A new record must have a current status.")})
    _check_organization_accepts(member.organization)
    member._history_user = by
    with refuse_duplicates(_("This ID number is registered already."), "id_number"):
        member.save()
    tally_add(organization_id=member.organization_id, status=member.status, delta=1)
    MembershipRecord.objects.create(
        member=member,
        organization=member.organization,
        status=member.status,
        started_on=since,
        start_event=event,
        recorded_by=by,
    )
    return member


@transaction.atomic
def member_update(*, member: Member, fields: list[str], by=None) -> Member:
    """Save personal data. Status and organization have their own dated services."""
    forbidden = {"status", "organization", "left_on"} & set(fields)
    if forbidden:
        raise ValueError(f"use the dated services to change {sorted(forbidden)}")
    _lock(member)
    member._history_user = by
    with refuse_duplicates(_("This ID number is registered for another person."), "id_number"):
        member.save(update_fields=fields)
    return member


@transaction.atomic
def member_change_status(
    *, member: Member, status: str, on: datetime.date, by=None, correction: bool = False
) -> Member:
    """Move a current member to another current status from a date on."""
    _check_date(on)
    _lock(member)
    if member.status not in CURRENT_STATUSES:
        raise ValidationError(_("This person has left; re-register them to change their status."))
    if status not in CURRENT_STATUSES:
        raise ValidationError({"status": _("Use 'record leaving' for leaving states.")})
    if status == member.status:
        raise ValidationError({"status": _("The member already has this status.")})
    if not correction and _ORDER.index(status) < _ORDER.index(member.status):
        raise ValidationError(
            {"status": _("A status can only move forward; tick 'correction' to fix an error.")}
        )
    event = Event.CORRECTED if correction else _STEP_EVENTS[status]
    tally_add(organization_id=member.organization_id, status=member.status, delta=-1)
    tally_add(organization_id=member.organization_id, status=status, delta=1)
    _next_record(
        member, organization_id=member.organization_id, status=status, on=on, event=event, by=by
    )
    fields = ["status"]
    if status == Status.PROBATIONARY and member.joined_on is None:
        member.joined_on = on
        fields.append("joined_on")
    if status == Status.FULL and member.converted_on is None:
        member.converted_on = on
        fields.append("converted_on")
    member.status = status
    member._history_user = by
    member.save(update_fields=fields)
    return member


def _refuse_while_transferring(member: Member) -> None:
    if member.transfer_pending:
        raise ValidationError(
            _("A transfer letter of this member is pending: it is received, refused or "
              "withdrawn first.")
        )  # fmt: skip


@transaction.atomic
def member_move(
    *,
    member: Member,
    organization: Organization,
    on: datetime.date,
    by=None,
    transfer: bool = False,
) -> Member:
    """Move a current member to another organization of the system from a date on.

    A move is the tree's own business (a branch split, a correction) and counts as "moved"
    in the yearly figures; with `transfer` it is a transfer of the organizational
    relationship received on that date (transfers.services), counted as transferred out of
    the sender's subtree and in to the receiver's.
    """
    _check_date(on)
    _lock(member)
    if member.status not in CURRENT_STATUSES:
        raise ValidationError(_("This person has left and cannot be moved."))
    if not transfer:
        _refuse_while_transferring(member)
    if organization.pk == member.organization_id:
        raise ValidationError({"organization": _("The member is already in this organization.")})
    _check_organization_accepts(organization)
    tally_add(organization_id=member.organization_id, status=member.status, delta=-1)
    tally_add(organization_id=organization.pk, status=member.status, delta=1)
    _next_record(
        member,
        organization_id=organization.pk,
        status=member.status,
        on=on,
        event=Event.TRANSFERRED_IN if transfer else Event.MOVED,
        end_event=Event.TRANSFERRED_OUT if transfer else Event.MOVED,
        by=by,
    )
    member.organization = organization
    member.transfer_pending = False
    member._history_user = by
    member.save(update_fields=["organization", "transfer_pending"])
    return member


@transaction.atomic
def member_leave(
    *,
    member: Member,
    status: str,
    on: datetime.date,
    reason: str,
    by=None,
    transfer: bool = False,
) -> Member:
    """Record that a person left the registry's care. Nothing is deleted. With `transfer`,
    the return slip of a letter out of the system came back (transfers.services)."""
    _check_date(on)
    _lock(member)
    if not transfer:
        _refuse_while_transferring(member)
    if status not in LEFT_STATUSES:
        raise ValidationError({"status": _("Choose how the person left.")})
    if member.status not in CURRENT_STATUSES:
        raise ValidationError(_("This person has already left."))
    record = _open_record(member)
    if record:
        _close(record, on, LEAVING_EVENTS[status])
    tally_add(organization_id=member.organization_id, status=member.status, delta=-1)
    member.status = status
    member.left_on = on
    member.leave_reason = reason
    member.transfer_pending = False
    member._history_user = by
    member.save(update_fields=["status", "left_on", "leave_reason", "transfer_pending"])
    return member


@transaction.atomic
def members_bulk_create(*, members: list[tuple[Member, datetime.date]], by=None) -> list[Member]:
    """Create many validated members with their first records and history in a few queries.

    Used by the roster import and the demo data; each pair is (unsaved member, since).
    """
    if not members:
        return []
    for member, _since in members:
        member.name_pinyin, member.name_initials = pinyin_keys(member.name)
    created = bulk_create_with_history(
        [m for m, _since in members], Member, batch_size=2000, default_user=by
    )
    if any(m.pk is None for m in created):  # backends that do not return keys
        numbers = [m.id_number for m in created]
        pks = dict(Member.objects.filter(id_number__in=numbers).values_list("id_number", "pk"))
        for m in created:
            m.pk = pks[m.id_number]
    MembershipRecord.objects.bulk_create(
        [
            MembershipRecord(
                member_id=m.pk,
                organization_id=m.organization_id,
                status=m.status,
                started_on=since,
                start_event=Event.REGISTERED,
                recorded_by=by,
            )
            for m, (_m, since) in zip(created, members, strict=True)
        ],
        batch_size=2000,
    )
    tally_add_many([(m.organization_id, m.status) for m in created])
    return created
