"""Transfer letters of the organizational relationship and floating members (domain.md
section 6).

A letter carries the member's particulars as they were when it was written (the payload):
the receiving side reads the letter, not the member's record, until it confirms receipt.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.choices import ETHNIC_GROUPS, Gender, Status
from members.models import age_on, mask_id_number
from partybuild.dates import add_months
from partybuild.models import user_link
from partybuild.validators import no_control_characters

TEXT = {"validators": [no_control_characters]}


class Kind(models.TextChoices):
    WITHIN = "within", _("within the system")
    OUT = "out", _("out of the system")
    IN = "in", _("into the system")


class State(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting the superior's approval")
    ISSUED = "issued", _("issued, awaiting receipt")
    RECEIVED = "received", _("received")
    REFUSED = "refused", _("refused by the receiving side")
    NOT_APPROVED = "not_approved", _("not approved by the superior")
    WITHDRAWN = "withdrawn", _("withdrawn by the sender")


OPEN_STATES = (State.AWAITING_APPROVAL, State.ISSUED)


class Reason(models.TextChoices):
    WORK = "work", _("change of work unit")
    RESIDENCE = "residence", _("change of residence")
    AWAY = "away", _("away six months or more at a fixed place")
    OTHER = "other", _("other")


PAYLOAD_STATUSES = [(s.value, s.label) for s in (Status.FULL, Status.PROBATIONARY)]


class LetterQuerySet(models.QuerySet):
    def open(self) -> "LetterQuerySet":
        return self.filter(state__in=OPEN_STATES)

    def overdue_on(self, day: datetime.date) -> "LetterQuerySet":
        """Issued, not yet received, and past the last day of their validity."""
        return self.filter(state=State.ISSUED, valid_until__lt=day)


class Letter(models.Model):
    """One transfer letter: within the system, out of it, or an incoming one registered."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="transfer_letters"
    )
    # Sender and receiver: an organization of the tree, or (out of / into the system) a name.
    sender = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="letters_sent", verbose_name=_("sending organization"),
    )  # fmt: skip
    sender_name = models.CharField(_("sending organization"), max_length=120, **TEXT)
    receiver = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="letters_received", verbose_name=_("receiving organization"),
    )  # fmt: skip
    receiver_name = models.CharField(_("receiving organization"), max_length=120, **TEXT)
    # The approving committee, when the letter leaves its subtree (transfers.rules).
    approver = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("approving committee"),
    )  # fmt: skip
    incoming_number = models.CharField(
        _("number of the incoming letter"), max_length=40, blank=True, **TEXT
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices,
                              default=Reason.WORK)  # fmt: skip
    # The payload (domain.md section 6), as written on the letter.
    name = models.CharField(_("name"), max_length=60)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNIC_GROUPS)
    birth_date = models.DateField(_("birth date"))
    status = models.CharField(_("full or probationary"), max_length=20, choices=PAYLOAD_STATUSES)
    joined_on = models.DateField(_("date joined the party"), null=True, blank=True)
    converted_on = models.DateField(_("date of conversion"), null=True, blank=True)
    paid_up_to = models.DateField(_("dues paid up to (month)"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    handler = models.CharField(_("handled by"), max_length=60, **TEXT)
    handler_phone = models.CharField(_("handler's phone"), max_length=20, blank=True, **TEXT)
    note = models.CharField(_("note"), max_length=200, blank=True, **TEXT)
    # What became of it.
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    answer = models.CharField(_("reason given"), max_length=200, blank=True, **TEXT)
    issued_by = user_link()
    decided_by = user_link()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer letter")
        verbose_name_plural = _("transfer letters")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["sender", "state"]),
            models.Index(fields=["receiver", "state"]),
            models.Index(fields=["state", "valid_until"]),
        ]
        constraints = [
            # A member has at most one letter on its way.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=["awaiting_approval", "issued"]),
                name="one_open_letter_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"

    @property
    def number(self) -> str:
        """Our letters: the year and the letter's id; an incoming one keeps its own number."""
        if self.kind == Kind.IN:
            return self.incoming_number
        return f"{self.issued_on:%Y}-{self.pk:06d}" if self.pk else ""

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def age(self) -> int:
        """Age on the day of issue, as the letter states it."""
        return age_on(self.birth_date, self.issued_on)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue_on(self, day: datetime.date) -> bool:
        return self.state == State.ISSUED and self.valid_until < day

    @property
    def validity_days(self) -> int:
        """Printed on the letter: the days from issue to the last valid day, both counted."""
        return (self.valid_until - self.issued_on).days + 1


def valid_until(issued_on: datetime.date, months: int) -> datetime.date:
    """The last day a letter is valid: issued 1 March for 3 months, valid through 1 June and
    overdue from 2 June."""
    return add_months(issued_on, months)


class Floating(models.Model):
    """A member away from their organization (流动党员) for a span; returning closes it.
    The statistics count the records in force on their date."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="floating_records"
    )
    since = models.DateField(_("away since"))
    expected_until = models.DateField(_("expected back by"), null=True, blank=True)
    whereabouts = models.CharField(_("where"), max_length=120, **TEXT)
    contact = models.CharField(_("contact"), max_length=60, blank=True, **TEXT)
    host_organization = models.CharField(
        _("party organization there"), max_length=120, blank=True, **TEXT
    )
    certificate_number = models.CharField(
        _("floating member certificate number"), max_length=40, blank=True, **TEXT
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("floating member record")
        verbose_name_plural = _("floating member records")
        ordering = ["member", "-since", "-id"]
        indexes = [models.Index(fields=["since", "returned_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(returned_on__isnull=True),
                name="one_open_floating_record_per_member",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("since")),
                name="floating_returns_after_leaving",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.member_id} · {self.whereabouts} · {self.since}–{self.returned_on or ''}"


class Contact(models.Model):
    """The branch heard from a floating member (a call, a visit, a report by letter)."""

    floating = models.ForeignKey(Floating, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("on"))
    note = models.CharField(_("what was said or done"), max_length=200, blank=True, **TEXT)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact with a floating member")
        verbose_name_plural = _("contacts with floating members")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.floating_id} · {self.on}"
