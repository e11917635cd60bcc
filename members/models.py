"""The member registry: people, their dated membership records and ID-number disclosures."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partybuild.validators import no_control_characters

from .choices import (
    CURRENT_STATUSES,
    ETHNIC_GROUPS,
    HAN,
    Education,
    Event,
    Gender,
    Occupation,
    Status,
)
from .pinyin import pinyin_keys


class MemberQuerySet(models.QuerySet):
    def party_members(self) -> "MemberQuerySet":
        """Full and probationary members: the people the statistics count."""
        return self.filter(status__in=[Status.FULL, Status.PROBATIONARY])

    def current(self) -> "MemberQuerySet":
        """Everyone still in the registry's care: pipeline and party members."""
        return self.filter(status__in=CURRENT_STATUSES)


class Member(models.Model):
    name = models.CharField(_("name"), max_length=60, validators=[no_control_characters])
    # Derived from the name on every save (members.pinyin): sorting and initials search.
    name_pinyin = models.CharField(max_length=160, blank=True, editable=False)
    name_initials = models.CharField(max_length=60, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNIC_GROUPS, default=HAN)
    birth_date = models.DateField(_("birth date"))
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[no_control_characters]
    )
    joined_on = models.DateField(
        _("date joined the party"),
        null=True,
        blank=True,
        help_text=_("The date of the branch member meeting that admitted the member."),
    )
    converted_on = models.DateField(_("date of conversion"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    left_on = models.DateField(_("date left"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=200, blank=True, validators=[no_control_characters]
    )
    is_retired = models.BooleanField(_("retired"), default=False)
    # A transfer letter is out (transfers): the member stays here, shown as "转出中", until
    # the receiving side confirms; meanwhile the registry refuses other moves and leaving.
    transfer_pending = models.BooleanField(_("transfer out pending"), default=False,
                                           editable=False)  # fmt: skip
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at", "name_pinyin", "name_initials"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organization_id", "name", "id"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "name", "id"]),  # the list's order
            models.Index(fields=["name"]),
            models.Index(fields=["name_pinyin", "id"]),  # the list sorted by name
            models.Index(fields=["name_initials"]),
            models.Index(fields=["phone"], name="members_mem_phone_idx"),  # search by phone
            # The development board's counts: the people in the procedure and probationary
            # members, a twelfth of the registry, read without the full members.
            models.Index(
                fields=["status", "organization"],
                condition=Q(status__in=["applicant", "activist", "target", "probationary"]),
                name="members_in_pipeline",
            ),
            # The statistics' minorities by ethnic group: a sixteenth of the registry.
            models.Index(
                fields=["id", "ethnicity"], condition=~Q(ethnicity=HAN), name="members_minorities"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin, self.name_initials = pinyin_keys(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    @property
    def is_minority(self) -> bool:
        return self.ethnicity != HAN

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years of age on a given day."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


MASK_KEEP_START, MASK_KEEP_END = 3, 2


def mask_id_number(id_number: str) -> str:
    """Keep the first 3 and the last 2 characters: 110*************2X.

    The birth date (characters 7-14) is shown beside the number in lists and exports, so a
    mask that hid only those could be undone; this one leaves the rest of the area code and
    two digits of the sequence unknown, which no shown column gives back.
    """
    if len(id_number) <= MASK_KEEP_START + MASK_KEEP_END:
        return "*" * len(id_number)
    hidden = len(id_number) - MASK_KEEP_START - MASK_KEEP_END
    return id_number[:MASK_KEEP_START] + "*" * hidden + id_number[-MASK_KEEP_END:]


class MembershipRecordQuerySet(models.QuerySet):
    def as_of(self, day: datetime.date) -> "MembershipRecordQuerySet":
        """Records in force on a day: who was where, in which status."""
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class MembershipRecord(models.Model):
    """A span during which a person held one status in one organization.

    A status change or a move closes the open record and opens the next one on the same
    date, so `as_of(day)` answers "who was a member of which organization, in which status"
    for any past day with one query.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="records")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="membership_records",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    started_on = models.DateField(_("from"))
    start_event = models.CharField(_("began with"), max_length=20, choices=Event.choices)
    ended_on = models.DateField(_("to"), null=True, blank=True)
    end_event = models.CharField(_("ended with"), max_length=20, choices=Event.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership record")
        verbose_name_plural = _("membership records")
        ordering = ["member", "started_on", "id"]
        indexes = [
            models.Index(fields=["organization", "started_on"]),
            models.Index(fields=["member", "ended_on"]),
            # A year's admissions (the development figures) without reading every record.
            models.Index(
                fields=["started_on"], condition=Q(start_event="admitted"), name="admissions"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="one_open_record_per_member",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="record_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.status} · {self.started_on}–{self.ended_on or ''}"


class IdNumberDisclosure(models.Model):
    """Who saw or exported full resident ID numbers, and when (domain.md section 8)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True)
    purpose = models.CharField(max_length=120)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.member_id} · {self.at:%Y-%m-%d %H:%M}"


class OrganizationTally(models.Model):
    """People held directly by one organization, by status, kept by members/services.py: the
    party members, and those in the development procedure (the board's columns).

    Subtree figures are then a sum over the closure table (at most one row per organization)
    instead of a scan of every member: the whole-city page stays fast at 320,000 members.
    `tally_rebuild()` recomputes every row from the registry.
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="tally",
    )
    full = models.PositiveIntegerField(default=0)
    probationary = models.PositiveIntegerField(default=0)
    applicant = models.PositiveIntegerField(default=0)
    activist = models.PositiveIntegerField(default=0)
    target = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.full} + {self.probationary}"


class Discipline(models.TextChoices):
    WARNING = "warning", _("warning")
    SERIOUS_WARNING = "serious_warning", _("serious warning")
    REMOVAL_FROM_POST = "removal_from_post", _("removal from party posts")
    PROBATION = "probation", _("probation within the party")
    EXPULSION = "expulsion", _("expulsion")


class DisciplinaryAction(models.Model):
    """A party disciplinary action and its period of effect (the introducer rule reads it)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="disciplinary_actions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Discipline.choices)
    decided_on = models.DateField(_("decided on"))
    effective_until = models.DateField(_("in effect until"), null=True, blank=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disciplinary action")
        verbose_name_plural = _("disciplinary actions")
        ordering = ["member", "-decided_on"]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.kind} · {self.decided_on}"

    def in_effect_on(self, day: datetime.date) -> bool:
        if day < self.decided_on or (self.lifted_on and day >= self.lifted_on):
            return False
        return self.effective_until is None or day <= self.effective_until
