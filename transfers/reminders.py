"""Transfers and floating members in the shared reminders.

- a letter waiting for the superior's approval, for the approving committee;
- a letter within the system on its way, for the receiving organization to confirm;
- a letter past its validity without receipt (overdue from the day after its last valid
  day), for the sending organization and so for every organization above it;
- a floating member with no contact recorded for the months the rules give (6), for the
  member's organization.

Rows are stored again whenever a letter or a floating record changes; they carry their own
dates, so the nightly rebuild is not needed for them to move on.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Policy
from partybuild.dates import add_months
from reminders import services as store
from reminders.models import Reminder
from reminders.sources import Source

from .models import Floating, Kind, Letter, State

SOURCE_NAME = "transfers"
APPROVE, RECEIVE, OVERDUE, NO_CONTACT = "approve", "receive", "overdue", "no_contact"
LETTER_KINDS = (APPROVE, RECEIVE, OVERDUE)


def letter_rows(letter: Letter) -> list[dict]:
    base = {"member_id": letter.member_id, "subject_id": letter.pk,
            "subject_name": letter.number, "period_from": None, "expires_on": None,
            "due_on": letter.valid_until}  # fmt: skip
    if letter.state == State.AWAITING_APPROVAL:
        return [base | {"kind": APPROVE, "organization_id": letter.approver_id,
                        "remind_from": letter.issued_on}]  # fmt: skip
    if letter.state != State.ISSUED:
        return []
    rows = [base | {"kind": OVERDUE, "organization_id": letter.sender_id,
                    "remind_from": letter.valid_until + datetime.timedelta(days=1)}]  # fmt: skip
    if letter.kind == Kind.WITHIN:
        rows.append(base | {"kind": RECEIVE, "organization_id": letter.receiver_id,
                            "remind_from": letter.issued_on})  # fmt: skip
    return rows


def floating_rows(records: list[Floating], months: int) -> list[dict]:
    """Open records only: due when the months without contact have run."""
    ids = [f.pk for f in records if f.returned_on is None]
    last = dict(
        Floating.objects.filter(pk__in=ids)
        .annotate(last=Max("contacts__on"))
        .values_list("pk", "last")
    )
    rows = []
    for floating in records:
        if floating.returned_on is not None:
            continue
        heard = max(filter(None, [floating.since, last.get(floating.pk)]))
        due = add_months(heard, months)
        rows.append({
            "kind": NO_CONTACT, "organization_id": floating.member.organization_id,
            "member_id": floating.member_id, "subject_id": floating.pk,
            "subject_name": floating.whereabouts[:100], "period_from": heard, "due_on": due,
            "remind_from": due, "expires_on": None,
        })  # fmt: skip
    return rows


def refresh(letter: Letter) -> None:
    store.replace(SOURCE_NAME, letter_rows(letter), subject_id=letter.pk,
                  kind__in=LETTER_KINDS)  # fmt: skip


def refresh_floating(floating: Floating) -> None:
    floating = Floating.objects.select_related("member").get(pk=floating.pk)
    rows = floating_rows([floating], Policy.current().floating_contact_months)
    store.replace(SOURCE_NAME, rows, subject_id=floating.pk, kind=NO_CONTACT)


def rebuild(today: datetime.date, batch: int = 2000) -> Iterator[list[dict]]:
    letters = Letter.objects.open().order_by("pk")
    last_pk = 0
    while chunk := list(letters.filter(pk__gt=last_pk)[:batch]):
        last_pk = chunk[-1].pk
        yield [row for letter in chunk for row in letter_rows(letter)]
    months = Policy.current().floating_contact_months
    records = Floating.objects.filter(returned_on__isnull=True).select_related("member")
    last_pk = 0
    while chunk := list(records.filter(pk__gt=last_pk).order_by("pk")[:batch]):
        last_pk = chunk[-1].pk
        yield floating_rows(chunk, months)


def describe(reminder: Reminder) -> str:
    if reminder.kind == NO_CONTACT:
        return _("Floating member in %(where)s: no contact since %(day)s") % {
            "where": reminder.subject_name, "day": reminder.period_from.isoformat()}  # fmt: skip
    words = {
        APPROVE: _("Transfer letter %(number)s waits for approval"),
        RECEIVE: _("Transfer letter %(number)s to confirm"),
        OVERDUE: _("Transfer letter %(number)s past its validity without receipt"),
    }
    return words[reminder.kind] % {"number": reminder.subject_name}


def link(reminder: Reminder) -> str:
    if reminder.kind == NO_CONTACT:
        return reverse("transfers:floating", args=[reminder.subject_id])
    return reverse("transfers:letter", args=[reminder.subject_id])


SOURCE = Source(
    name=SOURCE_NAME,
    label=gettext_lazy("Transfers"),
    rebuild=rebuild,
    describe=describe,
    link=link,
    subjects={**dict.fromkeys(LETTER_KINDS, "transfers.Letter"), NO_CONTACT: "transfers.Floating"},
)
