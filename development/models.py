"""The member-development procedure: dated steps, votes and the official working calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partybuild.validators import no_control_characters, within_upload_limit


class StepKind(models.TextChoices):
    """The steps of the 2026 rules, numbered as there (domain.md section 2)."""

    APPLICATION = "application", _("1 written application")
    APPLICANT_TALK = "applicant_talk", _("2 talk with the applicant")
    ACTIVIST_SELECTED = "activist_selected", _("3 selected as activist")
    ACTIVIST_FILED = "activist_filed", _("4 activist filed with the superior")
    CONTACTS_ASSIGNED = "contacts_assigned", _("5 contact persons assigned")
    ACTIVIST_REVIEW = "activist_review", _("6 half-yearly review")
    TARGET_SELECTED = "target_selected", _("7–8 selected as development target, publicity")
    INTRODUCERS = "introducers", _("9 introducers")
    POLITICAL_REVIEW = "political_review", _("10 political review")
    TRAINING = "training", _("11 centralized training")
    BRANCH_REVIEW = "branch_review", _("12 branch committee review")
    PRE_REVIEW = "pre_review", _("13 pre-review by the party committee")
    APPLICATION_FORM = "application_form", _("14 application form filled")
    ADMISSION_MEETING = "admission_meeting", _("15 branch member meeting")
    COMMITTEE_TALK = "committee_talk", _("16 talk by a committee member")
    ADMISSION_APPROVAL = "admission_approval", _("17 approval by the party committee")
    ADMISSION_FILED = "admission_filed", _("18 filed with the superior")
    ASSIGNED = "assigned", _("19 assigned to a branch and group")
    OATH = "oath", _("20 oath")
    CONVERSION_APPLICATION = "conversion_application", _("22 conversion application")
    CONVERSION_MEETING = "conversion_meeting", _("23 conversion meeting")
    CONVERSION_APPROVAL = "conversion_approval", _("24 conversion approved")
    ARCHIVED = "archived", _("25 papers archived")
    PROBATION_EXTENDED = "probation_extended", _("probation extended")
    PROBATION_CANCELLED = "probation_cancelled", _("probationary status cancelled")


class Channel(models.TextChoices):
    MEMBERS = "members", _("recommended by party members")
    MASS_ORGANIZATION = "mass_organization", _("recommended by a mass organization")


class Approval(models.TextChoices):
    NOT_NEEDED = "", _("not needed")
    PENDING = "pending", _("waiting for the superior")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class Vote(models.Model):
    """A branch member meeting's ballot on one candidate (steps 15 and 23).

    Only full members vote: `should_attend` counts the full members who should attend after
    approved exclusions (`excluded`, recorded with their reason), `present` those present.
    Written opinions of absent members count as votes.
    """

    should_attend = models.PositiveIntegerField(_("full members who should attend"))
    excluded = models.PositiveIntegerField(_("excluded with approval"), default=0)
    exclusion_reason = models.CharField(_("reason for exclusions"), max_length=200, blank=True)
    present = models.PositiveIntegerField(_("full members present"))
    yes = models.PositiveIntegerField(_("yes"))
    no = models.PositiveIntegerField(_("no"))
    abstain = models.PositiveIntegerField(_("abstain"), default=0)
    written_yes = models.PositiveIntegerField(_("written yes of absent members"), default=0)
    written_no = models.PositiveIntegerField(_("written no of absent members"), default=0)
    attendees = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name=_("full members present")
    )
    excluded_members = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name=_("excluded with approval")
    )
    # The branch member meeting that held the vote: its attendance gives the counts.
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="votes",
        verbose_name=_("branch member meeting"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.yes + self.written_yes}/{self.should_attend}"


class Step(models.Model):
    """One dated step of one person's development, kept forever."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="development_steps"
    )
    kind = models.CharField(_("step"), max_length=32, choices=StepKind.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, validators=[no_control_characters])
    attachment = models.FileField(
        _("attachment"), upload_to="development/%Y/", blank=True,
        validators=[within_upload_limit],
    )  # fmt: skip
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    channel = models.CharField(
        _("recommended by"), max_length=20, choices=Channel.choices, blank=True
    )
    people = models.ManyToManyField(
        "members.Member", blank=True, related_name="development_roles",
        verbose_name=_("contact persons or introducers"),
    )  # fmt: skip
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_to = models.DateField(_("publicity to"), null=True, blank=True)
    training_days = models.PositiveSmallIntegerField(_("training days"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("class hours"), null=True, blank=True)
    approving_organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("approving organization"),
    )  # fmt: skip
    special_case = models.BooleanField(_("special case (longer time limit)"), default=False)
    extension_months = models.PositiveSmallIntegerField(
        _("extension (months)"), null=True, blank=True
    )
    vote = models.OneToOneField(Vote, null=True, blank=True, on_delete=models.PROTECT)
    approval = models.CharField(
        _("approval"), max_length=12, choices=Approval.choices, default=Approval.NOT_NEEDED,
        blank=True,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ["member", "on", "id"]
        indexes = [models.Index(fields=["member", "kind"]), models.Index(fields=["approval"])]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.kind} · {self.on}"

    @property
    def in_force(self) -> bool:
        """Counts for the procedure: needs no approval, or was approved."""
        return self.approval in (Approval.NOT_NEEDED, Approval.APPROVED)


class CalendarDay(models.Model):
    """A day the staff set by hand: a year the holiday library does not know yet, or a fix."""

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'work' if self.is_workday else 'rest'}"


class DevelopmentPlan(models.Model):
    """An organization's target for a year: how many to develop, optionally by category."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="development_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.PositiveIntegerField(_("new members planned"))
    target_women = models.PositiveIntegerField(_("of them women"), null=True, blank=True)
    target_young = models.PositiveIntegerField(_("of them 35 and under"), null=True, blank=True)
    target_college = models.PositiveIntegerField(
        _("of them college or above"), null=True, blank=True
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_plan_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.year}: {self.target}"


class DueKind(models.TextChoices):
    """The time limits the reminders watch (domain.md section 2)."""

    APPLICANT_TALK = "applicant_talk", _("talk with the applicant")
    ACTIVIST_REVIEW = "activist_review", _("half-yearly review")
    OATH = "oath", _("oath")
    PROBATION_ENDS = "probation_ends", _("probation ends")
    APPROVAL = "approval", _("waiting for the superior's approval")
