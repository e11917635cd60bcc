"""The yearly assessment of organizations (目标考核): a scheme of scored items kept by the
working committee (or a party committee, for its subtree), the scores of each subordinate
organization (its self-assessment, the staff's review), grades by the scheme's thresholds,
ranking among siblings and the bottom ones named."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partybuild.models import user_link
from partybuild.validators import no_control_characters

TEXT = {"validators": [no_control_characters]}
POINTS = {"max_digits": 5, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0"))]}


class Source(models.TextChoices):
    """Where an item's points can come from besides the people scoring."""

    MANUAL = "", _("scored by hand")
    COMPLIANCE = "compliance", _("organizational-life compliance")
    DUES = "dues", _("dues collection rate")
    COMMUNITY = "community", _("members reported to their community")
    TRAINING = "training", _("members with the year's study hours")
    APPRAISAL = "appraisal", _("appraisal participation")
    PLAN = "plan", _("development plan met")


class Scheme(models.Model):
    owner = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                              related_name="assessment_schemes",
                              verbose_name=_("assessing organization"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120, **TEXT)
    good_from = models.DecimalField(_("good from (points)"), default=Decimal("90"), **POINTS)
    fairly_good_from = models.DecimalField(_("fairly good from (points)"), default=Decimal("80"),
                                           **POINTS)  # fmt: skip
    average_from = models.DecimalField(_("average from (points)"), default=Decimal("60"), **POINTS)
    bottom_count = models.PositiveSmallIntegerField(
        _("bottom places named"), default=1, validators=[MaxValueValidator(20)]
    )
    created_by = user_link()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "owner__code"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="one_scheme_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Item(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("section"), max_length=60, **TEXT)
    title = models.CharField(_("item"), max_length=200, **TEXT)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    source = models.CharField(_("filled from"), max_length=12, choices=Source.choices,
                              blank=True)  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["scheme", "position", "id"]

    def __str__(self) -> str:
        return f"{self.section} · {self.title}"


class Score(models.Model):
    """One item's points for one organization: its own, the staff's review."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scores")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="+")  # fmt: skip
    self_points = models.DecimalField(_("self-assessment"), null=True, blank=True, **POINTS)
    review_points = models.DecimalField(_("review"), null=True, blank=True, **POINTS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "organization"], name="one_score_an_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.organization_id}"

    @property
    def final(self) -> Decimal | None:
        return self.review_points if self.review_points is not None else self.self_points
