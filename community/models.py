"""Members employed in organs reporting to the community where they live (在职党员到社区报到):
the report, the activities taken part in, and the community's evaluation of each year."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.choices import PARTY_MEMBER_STATUSES, Occupation
from partybuild.choices import Rating
from partybuild.models import user_link
from partybuild.validators import no_control_characters

TEXT = {"validators": [no_control_characters]}
# In service: not retired, not a student (the members employed in organs and units).
NOT_IN_SERVICE = (Occupation.RETIRED, Occupation.STUDENT)


def in_service(prefix: str = "") -> Q:
    """Party members in service, as a condition on members (or on `prefix`member__...)."""
    return Q(**{f"{prefix}status__in": PARTY_MEMBER_STATUSES, f"{prefix}is_retired": False}) & ~Q(
        **{f"{prefix}occupation__in": NOT_IN_SERVICE}
    )


class Report(models.Model):
    """A member's report to a community, in force from the day reported until it ends (the
    member moved house, or left)."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="community_reports"
    )
    community = models.CharField(_("community"), max_length=120, **TEXT)
    reported_on = models.DateField(_("reported on"))
    card_number = models.CharField(_("contact card number"), max_length=40, blank=True, **TEXT)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report to a community")
        verbose_name_plural = _("reports to communities")
        ordering = ["member", "-reported_on", "-id"]
        indexes = [models.Index(fields=["reported_on", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True),
                name="one_open_community_report_per_member",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.member_id} · {self.community} · {self.reported_on}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.reported_on <= day and (self.ended_on is None or self.ended_on > day)


class Activity(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="activities")
    on = models.DateField(_("date"))
    what = models.CharField(_("activity"), max_length=200, **TEXT)
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24.0"))],
    )  # fmt: skip
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.on} · {self.what}"


class Evaluation(models.Model):
    """The community's evaluation of a member's conduct in a year, recorded by the branch;
    the appraisal grid of that year shows it beside the member."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="community_evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("evaluation"), max_length=12, choices=Rating.choices)
    remark = models.CharField(_("remark"), max_length=200, blank=True, **TEXT)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community evaluation")
        verbose_name_plural = _("community evaluations")
        ordering = ["member", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_evaluation_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.year} · {self.grade}"
