"""The organization tree, its positions, the users' roles and the configurable rules."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from partybuild.validators import no_control_characters


class Kind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("working committee")
    PARTY_COMMITTEE = "party_committee", _("party committee")
    GENERAL_BRANCH = "general_branch", _("general branch")
    BRANCH = "branch", _("branch")
    JOINT_BRANCH = "joint_branch", _("joint branch")


BRANCH_KINDS = frozenset({Kind.BRANCH, Kind.JOINT_BRANCH})

# Which kinds may stand directly above each kind (domain.md section 1).
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    Kind.WORKING_COMMITTEE: frozenset(),
    Kind.PARTY_COMMITTEE: frozenset({Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE}),
    Kind.GENERAL_BRANCH: frozenset({Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE}),
    Kind.BRANCH: frozenset({Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH}),
    Kind.JOINT_BRANCH: frozenset(
        {Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH}
    ),
}

# Term length in years by kind: committees 5, general branches and branches 3.
TERM_YEARS: dict[str, int] = {
    Kind.WORKING_COMMITTEE: 5,
    Kind.PARTY_COMMITTEE: 5,
    Kind.GENERAL_BRANCH: 3,
    Kind.BRANCH: 3,
    Kind.JOINT_BRANCH: 3,
}


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    DISSOLVED = "dissolved", _("dissolved")


class OrganizationQuerySet(models.QuerySet):
    def active(self) -> "OrganizationQuerySet":
        return self.filter(status=Status.ACTIVE)

    def in_tree_order(self) -> "OrganizationQuerySet":
        """Committees first, then general branches, then branches; by code within a kind."""
        rank = models.Case(
            *[models.When(kind=kind, then=i) for i, kind in enumerate(Kind.values)],
            output_field=models.IntegerField(),
        )
        return self.alias(kind_rank=rank).order_by("kind_rank", "code")

    def subtree_of(self, organization_id: int) -> "OrganizationQuerySet":
        """The organization and all below it: one indexed join on the closure table."""
        return self.filter(ancestor_links__ancestor_id=organization_id)


class Organization(models.Model):
    name = models.CharField(
        pgettext_lazy("organization", "name"), max_length=120, validators=[no_control_characters]
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[no_control_characters]
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.CharField(
        _("unit (organ)"), max_length=120, blank=True, validators=[no_control_characters]
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    term_elected_on = models.DateField(_("current term elected on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term length (years)"), null=True, blank=True)
    term_ends_on = models.DateField(_("current term ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


class OrganizationClosure(models.Model):
    """One row per (ancestor, descendant) pair, the node itself included at depth 0.

    Every subtree is one indexed lookup, and figures for all subtrees at once are one join
    and one GROUP BY (see the performance facts in the setup recipe).
    """

    ancestor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="descendant_links"
    )
    descendant = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="ancestor_links"
    )
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="closure_unique_pair")
        ]
        indexes = [models.Index(fields=["descendant", "ancestor"])]

    def __str__(self) -> str:
        return f"{self.ancestor_id} → {self.descendant_id} ({self.depth})"


class Post(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
    ORGANIZATION = "organization", _("organization member")
    PROPAGANDA = "propaganda", _("propaganda member")
    DISCIPLINE = "discipline", _("discipline inspection member")
    COMMITTEE_MEMBER = "committee_member", _("committee member")


SINGLE_POSTS = frozenset(
    {Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE}
)


class PositionQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "PositionQuerySet":
        on = on or datetime.date.today()
        return self.filter(Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gt=on))


class Position(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    post = models.CharField(_("post"), max_length=24, choices=Post.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organization", "post", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "post"],
                condition=Q(ended_on__isnull=True) & ~Q(post="committee_member"),
                name="one_open_holder_per_single_post",
                violation_error_message=_("This post already has a current holder."),
            ),
            models.UniqueConstraint(
                fields=["organization", "post", "member"],
                condition=Q(ended_on__isnull=True),
                name="one_open_post_per_member",
                violation_error_message=_("This member already holds this post."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_post_display()} · {self.member}"


class Role(models.TextChoices):
    STAFF = "staff", _("committee staff")
    SECRETARY = "secretary", _("branch secretary")
    VIEWER = "viewer", _("viewer")


class UserRole(models.Model):
    """Binds a user to an organization with a role; organizations/access.py reads it.

    One person may hold several (a committee's staff member is often also the secretary of
    the committee office's branch); the user acts in one at a time, chosen in the header.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_roles"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        ordering = ["user", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="one_binding_per_role",
                violation_error_message=_("This user holds this role already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


# Frequencies that divide the year into whole calendar periods.
DUES_ROUNDING = [("half_up", _("half up")), ("down", _("down (what is below the fen is dropped)"))]


def _money(label, default: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=10, decimal_places=2, default=Decimal(default),
                               validators=[MinValueValidator(Decimal("0.00"))])  # fmt: skip


def _rate(label, default: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=Decimal(default),
                               validators=[MinValueValidator(Decimal("0.00")),
                                           MaxValueValidator(Decimal("100.00"))])  # fmt: skip


FREQUENCIES = [(1, _("monthly")), (2, _("every two months")), (3, _("quarterly")),
               (6, _("half-yearly")), (12, _("yearly"))]  # fmt: skip


class Policy(models.Model):
    """Configurable rules (domain.md marks them configurable); one row, edited in the app."""

    term_warning_days = models.PositiveSmallIntegerField(
        _("warn when a term ends within (days)"), default=90
    )
    branch_max_members = models.PositiveSmallIntegerField(_("most members of a branch"), default=50)
    branch_min_full_members = models.PositiveSmallIntegerField(
        _("fewest full members of a branch"), default=3
    )
    general_branch_min_members = models.PositiveSmallIntegerField(
        _("a general branch has more than (members)"), default=50
    )
    party_committee_min_members = models.PositiveSmallIntegerField(
        _("a party committee has more than (members)"), default=100
    )
    committee_required_from = models.PositiveSmallIntegerField(
        _("branch committee required from (full members)"), default=7
    )
    # Member development (domain.md section 2); the national values are the defaults.
    applicant_talk_months = models.PositiveSmallIntegerField(
        _("talk with an applicant within (months)"), default=1
    )
    activist_min_months = models.PositiveSmallIntegerField(
        _("an activist for at least (months) before becoming a development target"), default=12
    )
    activist_review_months = models.PositiveSmallIntegerField(
        _("activists reviewed every (months)"), default=6
    )
    publicity_min_workdays = models.PositiveSmallIntegerField(
        _("publicity of a development target, at least (working days)"), default=5
    )
    training_min_days = models.PositiveSmallIntegerField(
        _("centralized training, at least (days)"), default=3
    )
    training_min_hours = models.PositiveSmallIntegerField(
        _("or at least (class hours)"), default=24
    )
    meeting_after_prereview_months = models.PositiveSmallIntegerField(
        _("member meeting within (months) of the pre-review"), default=1
    )
    approval_months = models.PositiveSmallIntegerField(
        _("party committee approval within (months)"), default=3
    )
    approval_months_special = models.PositiveSmallIntegerField(
        _("in special cases within (months)"), default=6
    )
    oath_months = models.PositiveSmallIntegerField(_("oath within (months) of approval"), default=1)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=12)
    extension_min_months = models.PositiveSmallIntegerField(
        _("an extension of probation, at least (months)"), default=6
    )
    extension_max_months = models.PositiveSmallIntegerField(_("and at most (months)"), default=12)
    probation_warning_days = models.PositiveSmallIntegerField(
        _("remind when probation ends within (days)"), default=30
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        _("remind of other time limits (days before)"), default=30
    )
    # Democratic appraisal (domain.md section 3).
    rectification_months = models.PositiveSmallIntegerField(
        _("an unqualified member rectifies within (months)"), default=6
    )
    appraisal_requires_evaluations = models.BooleanField(
        _("a graded member needs self-assessment and mutual evaluation"), default=True
    )
    # Organizational life (domain.md section 5): how often each kind of meeting is due, in
    # months; periods are aligned to the calendar (a month, a quarter, a year).
    member_meeting_months = models.PositiveSmallIntegerField(
        _("branch member meeting every (months)"), choices=FREQUENCIES, default=3
    )
    committee_meeting_months = models.PositiveSmallIntegerField(
        _("branch committee meeting every (months)"), choices=FREQUENCIES, default=1
    )
    group_meeting_months = models.PositiveSmallIntegerField(
        _("party group meeting every (months)"), choices=FREQUENCIES, default=1
    )
    party_lesson_months = models.PositiveSmallIntegerField(
        _("party lesson every (months)"), choices=FREQUENCIES, default=3
    )
    theme_day_months = models.PositiveSmallIntegerField(
        _("theme party day every (months)"), choices=FREQUENCIES, default=1
    )
    life_meeting_months = models.PositiveSmallIntegerField(
        _("organizational-life meeting every (months)"), choices=FREQUENCIES, default=12
    )
    # Party dues (domain.md section 4): the monthly amount as a share of the base, by bands
    # that include their upper bound; flat amounts; how amounts are rounded to the fen.
    dues_employed_band1_to = _money(_("employed: first band up to (yuan)"), "3000.00")
    dues_employed_band1_rate = _rate(_("employed: first band (per cent of the base)"), "0.50")
    dues_employed_band2_to = _money(_("employed: second band up to (yuan)"), "5000.00")
    dues_employed_band2_rate = _rate(_("employed: second band (per cent of the base)"), "1.00")
    dues_employed_band3_to = _money(_("employed: third band up to (yuan)"), "10000.00")
    dues_employed_band3_rate = _rate(_("employed: third band (per cent of the base)"), "1.50")
    dues_employed_above_rate = _rate(
        _("employed: above the third band (per cent of the base)"), "2.00"
    )
    dues_retired_band1_to = _money(_("retired: first band up to (yuan)"), "5000.00")
    dues_retired_band1_rate = _rate(_("retired: first band (per cent of the pension)"), "0.50")
    dues_retired_above_rate = _rate(
        _("retired: above the first band (per cent of the pension)"), "1.00"
    )
    dues_flat_amount = _money(
        _("students, the unemployed and relief recipients (yuan a month)"), "0.20"
    )
    dues_farmer_amount = _money(_("farmers (yuan a month, 0.20 to 1.00)"), "0.20")
    dues_rounding = models.CharField(
        _("amounts rounded to the fen"), max_length=10, choices=DUES_ROUNDING, default="half_up"
    )
    dues_back_months = models.PositiveSmallIntegerField(
        _("back payment covers at most (months) without a recorded reason"), default=6
    )
    dues_arrears_months = models.PositiveSmallIntegerField(
        _("unpaid for (months) running: listed for the branch to decide"), default=6
    )
    # Transfers and floating members (domain.md section 6).
    transfer_validity_months = models.PositiveSmallIntegerField(
        _("a transfer letter is valid for (months)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )  # fmt: skip
    transfer_approval = models.BooleanField(
        _("letters leaving a party committee's subtree need its approval"), default=True
    )
    floating_contact_months = models.PositiveSmallIntegerField(
        _("remind when a floating member has had no contact for (months)"), default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )  # fmt: skip
    # Elections (domain.md section 1).
    election_more_candidates_percent = models.PositiveSmallIntegerField(
        _("a differential ballot has at least this many per cent more candidates than seats"),
        default=20, validators=[MaxValueValidator(100)],
    )  # fmt: skip
    election_majority_of = models.CharField(
        _("a candidate is elected with yes votes from more than half of"), max_length=8,
        choices=[("should", _("those who should attend")),
                 ("present", _("those present (the older rule)"))], default="should",
    )  # fmt: skip
    election_warning_months = models.PositiveSmallIntegerField(
        _("list a term in the terms list from (months) before it ends"), default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )  # fmt: skip
    # Training: the study hours a party member completes in a year (32 by the national rules).
    training_hours_required = models.PositiveSmallIntegerField(
        _("party members' study: class hours a year"), default=32,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rules")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return str(_("rules"))

    @classmethod
    def current(cls) -> "Policy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
