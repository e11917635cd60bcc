"""Writes of transfer letters and floating records. The registry changes only through
members.services, on the date the receiving side confirms (or the return slip states)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dues.arrears import paid_up_to
from dues.services import opening_set
from members import services as registry
from members.choices import PARTY_MEMBER_STATUSES, Event, Status
from members.models import Member
from organizations.models import Kind as OrgKind
from organizations.models import Organization, OrganizationClosure, Policy
from partybuild.validators import refuse, refuse_future

from . import reminders
from .models import Contact, Floating, Kind, Letter, State, valid_until

COMMITTEES = (OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE)


def superior_committee(organization: Organization) -> Organization:
    """The nearest party committee above the organization (the working committee at the
    top): the one that approves letters leaving its subtree."""
    link = (
        OrganizationClosure.objects.filter(
            descendant=organization, depth__gt=0, ancestor__kind__in=COMMITTEES
        )
        .select_related("ancestor")
        .order_by("depth")
        .first()
    )
    return link.ancestor if link else organization


def approver_for(sender: Organization, receiver: Organization | None) -> Organization | None:
    """The committee whose approval the letter waits for, when the rules ask for one: a
    letter out of the system, or to an organization outside the committee's subtree."""
    if not Policy.current().transfer_approval:
        return None
    committee = superior_committee(sender)
    if (
        receiver is not None
        and OrganizationClosure.objects.filter(ancestor=committee, descendant=receiver).exists()
    ):
        return None
    return committee


def _payload(member: Member) -> dict:
    return {
        "name": member.name, "id_number": member.id_number, "gender": member.gender,
        "ethnicity": member.ethnicity, "birth_date": member.birth_date, "status": member.status,
        "joined_on": member.joined_on, "converted_on": member.converted_on,
        "paid_up_to": paid_up_to(member),
    }  # fmt: skip


def _lock_member(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("organization").get(pk=member.pk)


def _lock_letter(letter: Letter, *states: str) -> Letter:
    """The letter as the database holds it, locked; refused unless in one of `states`."""
    current = Letter.objects.select_for_update().get(pk=letter.pk)
    if current.state not in states:
        refuse(_("This letter is %(state)s: reload the page to see it.")
                % {"state": current.get_state_display()})  # fmt: skip
    return current


@transaction.atomic
def letter_issue(
    *, member: Member, receiver: Organization | None = None, receiver_name: str = "",
    issued_on: datetime.date, handler: str, handler_phone: str = "", reason: str = "work",
    note: str = "", by=None,
) -> Letter:  # fmt: skip
    """Write a letter for a party member: to an organization of the tree (`receiver`) or,
    out of the system, to one named in `receiver_name`. The member stays where they are,
    shown as transfer pending, until the receiving side confirms or the slip comes back."""
    member = _lock_member(member)
    if member.status not in PARTY_MEMBER_STATUSES:
        refuse(_("Only full and probationary members transfer their relationship."))
    if member.transfer_pending:
        refuse(_("A transfer letter of this member is pending already."))
    refuse_future(issued_on, "issued_on")
    sender = member.organization
    if receiver is not None:
        if receiver.pk == sender.pk:
            refuse(_("The member is already in this organization."), "receiver")
        if not receiver.is_active:
            refuse(_("This organization has been dissolved."), "receiver")
        receiver_name = receiver.name
    elif not receiver_name.strip():
        refuse(_("Name the receiving organization."), "receiver_name")
    approver = approver_for(sender, receiver)
    letter = Letter.objects.create(
        kind=Kind.WITHIN if receiver is not None else Kind.OUT,
        state=State.AWAITING_APPROVAL if approver else State.ISSUED,
        member=member, sender=sender, sender_name=sender.name, receiver=receiver,
        receiver_name=receiver_name.strip(), approver=approver, reason=reason,
        issued_on=issued_on,
        valid_until=valid_until(issued_on, Policy.current().transfer_validity_months),
        handler=handler.strip(), handler_phone=handler_phone.strip(), note=note.strip(),
        issued_by=by, **_payload(member),
    )  # fmt: skip
    member.transfer_pending = True
    member._history_user = by
    member.save(update_fields=["transfer_pending"])
    reminders.refresh(letter)
    return letter


def _close(letter: Letter, state: str, *, by, answer: str = "", received_on=None) -> Letter:
    letter.state = state
    letter.decided_by = by
    letter.answer = answer.strip()
    letter.received_on = received_on
    letter.save(update_fields=["state", "decided_by", "answer", "received_on", "updated_at"])
    reminders.refresh(letter)
    return letter


def _release(letter: Letter, by) -> None:
    """The letter came back unused: the member is no longer shown as transferring."""
    member = _lock_member(letter.member)
    member.transfer_pending = False
    member._history_user = by
    member.save(update_fields=["transfer_pending"])


@transaction.atomic
def letter_approve(*, letter: Letter, on: datetime.date | None = None, by=None) -> Letter:
    letter = _lock_letter(letter, State.AWAITING_APPROVAL)
    letter.state = State.ISSUED
    letter.approved_on = on or timezone.localdate()
    letter.decided_by = by
    letter.save(update_fields=["state", "approved_on", "decided_by", "updated_at"])
    reminders.refresh(letter)
    return letter


def _give_back(letter: Letter, states: tuple, state: str, reason: str, by) -> Letter:
    """The letter comes back unused, with the reason: not approved, withdrawn, refused."""
    letter = _lock_letter(letter, *states)
    if not reason.strip():
        refuse(_("Give the reason."), "reason")
    _release(letter, by)
    return _close(letter, state, by=by, answer=reason)


@transaction.atomic
def letter_not_approve(*, letter: Letter, reason: str, by=None) -> Letter:
    return _give_back(letter, (State.AWAITING_APPROVAL,), State.NOT_APPROVED, reason, by)


@transaction.atomic
def letter_withdraw(*, letter: Letter, reason: str, by=None) -> Letter:
    """The sender takes the letter back (written in error, the member stays)."""
    return _give_back(letter, (State.AWAITING_APPROVAL, State.ISSUED), State.WITHDRAWN, reason,
                      by)  # fmt: skip


@transaction.atomic
def letter_refuse(*, letter: Letter, reason: str, by=None) -> Letter:
    """The receiving organization returns the letter (e.g. it is not the right one)."""
    if letter.kind != Kind.WITHIN:
        refuse(_("Only a letter within the system is refused here."))
    return _give_back(letter, (State.ISSUED,), State.REFUSED, reason, by)


@transaction.atomic
def letter_receive(*, letter: Letter, on: datetime.date, by=None) -> Letter:
    """Receipt confirmed (within the system) or the return slip back (out of it): the
    registry records the transfer on that date."""
    letter = _lock_letter(letter, State.ISSUED)
    refuse_future(on, "on")
    if on < letter.issued_on:
        refuse(_("Receipt cannot come before the letter was issued (%(day)s).")
                % {"day": letter.issued_on.isoformat()}, "on")  # fmt: skip
    if on > letter.valid_until:
        refuse(_("The letter was valid until %(day)s: the sender withdraws it and issues a "
                  "new one.") % {"day": letter.valid_until.isoformat()}, "on")  # fmt: skip
    member = _lock_member(letter.member)
    if letter.kind == Kind.WITHIN:
        registry.member_move(member=member, organization=letter.receiver, on=on, by=by,
                             transfer=True)  # fmt: skip
    else:
        reason = _("Transferred to %(where)s (letter %(number)s)") % {
            "where": letter.receiver_name, "number": letter.number}  # fmt: skip
        registry.member_leave(member=member, status=Status.TRANSFERRED_OUT, on=on,
                              reason=reason[:200], by=by, transfer=True)  # fmt: skip
    return _close(letter, State.RECEIVED, by=by, received_on=on)


@transaction.atomic
def letter_register(
    *, member: Member, received_on: datetime.date, incoming_number: str, sender_name: str,
    issued_on: datetime.date, paid_up_to_month: datetime.date | None, reason: str = "work",
    note: str = "", by=None,
) -> Letter:  # fmt: skip
    """A member arriving from outside the system with a letter: the registry entry starts
    with "transferred in" on the date of receipt, the dues from the month after the
    letter's paid-up-to month."""
    refuse_future(received_on, "since")
    if issued_on > received_on:
        refuse(_("The letter cannot be issued after it was received."), "issued_on")
    if member.status not in PARTY_MEMBER_STATUSES:
        refuse(_("Only full and probationary members transfer their relationship."), "status")
    registry.member_create(member=member, since=received_on, event=Event.TRANSFERRED_IN, by=by)
    letter = Letter.objects.create(
        kind=Kind.IN, state=State.RECEIVED, member=member, sender_name=sender_name.strip(),
        receiver=member.organization, receiver_name=member.organization.name,
        incoming_number=incoming_number.strip(), reason=reason, name=member.name,
        id_number=member.id_number, gender=member.gender, ethnicity=member.ethnicity,
        birth_date=member.birth_date, status=member.status, joined_on=member.joined_on,
        converted_on=member.converted_on, paid_up_to=paid_up_to_month, issued_on=issued_on,
        valid_until=valid_until(issued_on, Policy.current().transfer_validity_months),
        handler="", note=note.strip(), received_on=received_on,
        issued_by=by, decided_by=by,
    )  # fmt: skip
    if paid_up_to_month is not None:
        source = _("letter %(number)s from %(sender)s") % {
            "number": letter.number, "sender": letter.sender_name}  # fmt: skip
        opening_set(member=member, paid_up_to=paid_up_to_month, source=source[:120], by=by)
    return letter


# -- floating members ------------------------------------------------------------------------


@transaction.atomic
def floating_start(*, member: Member, since: datetime.date, whereabouts: str,
                   expected_until: datetime.date | None = None, contact: str = "",
                   host_organization: str = "", certificate_number: str = "",
                   by=None) -> Floating:  # fmt: skip
    member = _lock_member(member)
    if member.status not in PARTY_MEMBER_STATUSES:
        refuse(_("Only full and probationary members are recorded as floating."))
    refuse_future(since, "since")
    if Floating.objects.filter(member=member, returned_on__isnull=True).exists():
        refuse(_("The member is recorded as away already; record the return first."))
    if expected_until and expected_until < since:
        refuse(_("The expected return cannot come before leaving."), "expected_until")
    last = Floating.objects.filter(member=member).order_by("-returned_on").first()
    if last and last.returned_on > since:
        refuse(_("The member returned on %(day)s from the last stay away.")
                % {"day": last.returned_on.isoformat()}, "since")  # fmt: skip
    floating = Floating.objects.create(
        member=member, since=since, expected_until=expected_until, whereabouts=whereabouts.strip(),
        contact=contact.strip(), host_organization=host_organization.strip(),
        certificate_number=certificate_number.strip(), recorded_by=by,
    )  # fmt: skip
    reminders.refresh_floating(floating)
    return floating


@transaction.atomic
def floating_contact(*, floating: Floating, on: datetime.date, note: str = "",
                     by=None) -> Contact:  # fmt: skip
    floating = Floating.objects.select_for_update().get(pk=floating.pk)
    refuse_future(on, "on")
    if on < floating.since:
        refuse(_("The member was away from %(day)s.") % {"day": floating.since.isoformat()},
                "on")  # fmt: skip
    contact = Contact.objects.create(floating=floating, on=on, note=note.strip(), recorded_by=by)
    reminders.refresh_floating(floating)
    return contact


@transaction.atomic
def floating_return(*, floating: Floating, on: datetime.date, by=None) -> Floating:
    floating = Floating.objects.select_for_update().get(pk=floating.pk)
    if floating.returned_on is not None:
        refuse(_("The return is recorded already."))
    refuse_future(on, "on")
    if on < floating.since:
        refuse(_("The member was away from %(day)s.") % {"day": floating.since.isoformat()},
                "on")  # fmt: skip
    floating.returned_on = on
    floating.save(update_fields=["returned_on"])
    reminders.refresh_floating(floating)
    return floating
