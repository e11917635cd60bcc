"""Democratic appraisal of members (domain.md section 3).

A campaign covers an organization's subtree for a year. Each organization holding party
members gets a sheet with an entry for every full and probationary member it held on the
campaign's first day. The branch fills the sheet, submits it, the superior approves or
returns it. Unqualified members get dispositions. Only appraisals.services changes these.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partybuild.validators import no_control_characters


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    QUALIFIED = "qualified", _("qualified")
    BASIC = "basic", _("basically qualified")
    UNQUALIFIED = "unqualified", _("unqualified")


# A remark is required with these grades.
GRADES_NEEDING_REMARK = frozenset({Grade.BASIC, Grade.UNQUALIFIED})


class Exemption(models.TextChoices):
    LONG_ILLNESS = "long_illness", _("long illness")
    ABROAD = "abroad", _("abroad")
    FLOATING = "floating", _("floating without contact")
    ELDERLY = "elderly", _("elderly or infirm")
    OTHER = "other", _("other reason")


class SheetStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


# The branch may change the sheet in these states; submitted and approved sheets are locked.
EDITABLE = frozenset({SheetStatus.NOT_STARTED, SheetStatus.DRAFT, SheetStatus.RETURNED})


class Campaign(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="campaigns",
        verbose_name=_("organization"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120, validators=[no_control_characters])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    deadline = models.DateField(_("deadline for submissions"))
    cap_applies = models.BooleanField(_("cap the share of excellent grades"), default=True)
    cap_numerator = models.PositiveSmallIntegerField(_("excellent at most"), default=1)
    cap_denominator = models.PositiveSmallIntegerField(_("out of every"), default=3)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal campaign")
        verbose_name_plural = _("appraisal campaigns")
        ordering = ["-year", "organization__code"]

    def __str__(self) -> str:
        return self.title


# What a sheet keeps of its entries once approved (Sheet.n_<name>).
TALLIES = ("should", "took_part", "exempted", *Grade.values)
TALLY_FIELDS = tuple(f"n_{name}" for name in TALLIES)


def entry_tallies(entries) -> dict[int, dict[str, int]]:
    """The counts of the entries per sheet: who should take part (every entry), who took
    part (graded, not exempted), who was exempted, and each grade of those who took part."""
    graded = Q(grade__gt="") & Q(exemption="")
    counts = {
        "should": Count("id"),
        "took_part": Count("id", filter=graded),
        "exempted": Count("id", filter=~Q(exemption="")),
    }
    counts |= {g: Count("id", filter=graded & Q(grade=g)) for g in Grade.values}
    rows = entries.values("sheet_id").annotate(**counts).order_by()
    return {row.pop("sheet_id"): row for row in rows}


def tally_sheets(sheets) -> int:
    """Keep the counts of the approved sheets among `sheets` (bulk loads write statuses
    without save()); returns how many were updated."""
    approved = sheets.filter(status=SheetStatus.APPROVED)
    counts = entry_tallies(Entry.objects.filter(sheet__in=approved))
    updated = []
    for sheet in approved.only("pk"):
        for name in TALLIES:
            setattr(sheet, f"n_{name}", counts.get(sheet.pk, {}).get(name, 0))
        updated.append(sheet)
    Sheet.objects.bulk_update(updated, TALLY_FIELDS, batch_size=2000)
    return len(updated)


class Sheet(models.Model):
    """One organization's appraisal in one campaign; `version` grows with every save."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sheets")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="appraisal_sheets",
        verbose_name=_("organization"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=SheetStatus.choices, default=SheetStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    # Members who voted in the democratic rating: no row's votes add up to more. Empty: the
    # members who should take part (every member not exempted).
    voters = models.PositiveIntegerField(_("members who voted"), null=True, blank=True)
    # The entries' counts, kept from the moment the sheet is approved (entries no longer
    # change then): the figures of a subtree add sheets up instead of counting entries.
    n_should = models.PositiveIntegerField(default=0)
    n_took_part = models.PositiveIntegerField(default=0)
    n_exempted = models.PositiveIntegerField(default=0)
    n_excellent = models.PositiveIntegerField(default=0)
    n_qualified = models.PositiveIntegerField(default=0)
    n_basic = models.PositiveIntegerField(default=0)
    n_unqualified = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=[f"n_{n}" for n in TALLIES])

    class Meta:
        verbose_name = _("appraisal sheet")
        verbose_name_plural = _("appraisal sheets")
        ordering = ["campaign", "organization__code"]
        constraints = [
            # A member is appraised once a year, whichever campaign covers the branch.
            models.UniqueConstraint(fields=["organization", "year"], name="one_sheet_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.organization_id}"

    def save(self, *args, **kwargs):
        """An approved sheet keeps its entries' counts (see TALLIES)."""
        if self.status == SheetStatus.APPROVED and self.pk:
            counts = entry_tallies(Entry.objects.filter(sheet=self)).get(self.pk, {})
            for name in TALLIES:
                setattr(self, f"n_{name}", counts.get(name, 0))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *TALLY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class Entry(models.Model):
    """One member's appraisal on a sheet."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="appraisal_entries"
    )
    probationary = models.BooleanField(_("probationary member"), default=False)
    exemption = models.CharField(
        _("exempted because"), max_length=16, choices=Exemption.choices, blank=True
    )
    exemption_note = models.CharField(
        _("exemption note"), max_length=200, blank=True, validators=[no_control_characters]
    )
    self_assessment = models.BooleanField(_("self-assessment done"), default=False)
    mutual_evaluation = models.BooleanField(_("mutual evaluation done"), default=False)
    votes_excellent = models.PositiveIntegerField(_("votes: excellent"), default=0)
    votes_qualified = models.PositiveIntegerField(_("votes: qualified"), default=0)
    votes_basic = models.PositiveIntegerField(_("votes: basically qualified"), default=0)
    votes_unqualified = models.PositiveIntegerField(_("votes: unqualified"), default=0)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    remark = models.CharField(
        _("remark"), max_length=300, blank=True, validators=[no_control_characters]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal entry")
        verbose_name_plural = _("appraisal entries")
        ordering = ["sheet", "member__name", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "member"], name="one_entry_a_member")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.member_id} · {self.grade}"


class DispositionKind(models.TextChoices):
    RECTIFY = "rectify", _("rectify within a time limit")
    PERSUADE = "persuade", _("persuade to withdraw")
    REMOVE = "remove", _("removal from the roll")
    EXTEND_PROBATION = "extend_probation", _("probation extended")
    CANCEL_PROBATION = "cancel_probation", _("probationary status cancelled")
    DISCIPLINED = "disciplined", _("handled by party discipline")


# Decided by the member meeting and approved by the superior before they take effect.
NEEDS_APPROVAL = frozenset(
    {DispositionKind.PERSUADE, DispositionKind.REMOVE, DispositionKind.EXTEND_PROBATION,
     DispositionKind.CANCEL_PROBATION}
)  # fmt: skip
# Not for probationary members: their probation is extended or cancelled instead.
FULL_MEMBERS_ONLY = frozenset({DispositionKind.PERSUADE, DispositionKind.REMOVE})
PROBATIONARY_ONLY = frozenset({DispositionKind.EXTEND_PROBATION, DispositionKind.CANCEL_PROBATION})


class Outcome(models.TextChoices):
    PENDING = "pending", _("waiting for the superior")
    RETURNED = "returned", _("returned")
    IN_PROGRESS = "in_progress", _("rectification running")
    RECTIFIED = "rectified", _("rectified in time")
    NOT_RECTIFIED = "not_rectified", _("not rectified")
    DONE = "done", _("carried out")


class Disposition(models.Model):
    """What is done about an unqualified grade, with its dates and decision."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="dispositions")
    kind = models.CharField(_("disposition"), max_length=20, choices=DispositionKind.choices)
    decided_on = models.DateField(_("decided by the member meeting on"))
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(
        _("extension (months)"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["entry", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.kind} · {self.outcome}"
