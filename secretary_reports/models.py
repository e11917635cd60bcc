"""Secretaries' yearly reports on their party-building work (述职评议考核): the report, the
superior's evaluation (score and grade), and the issues to fix with their deadline and
follow-up."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partybuild.choices import Rating
from partybuild.models import user_link
from partybuild.validators import no_control_characters, within_upload_limit

TEXT = {"validators": [no_control_characters]}


class Report(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="secretary_reports",
        verbose_name=_("organization"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    secretary = models.ForeignKey("members.Member", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("secretary"))  # fmt: skip
    text = models.TextField(_("report"), blank=True, **TEXT)
    attachment = models.FileField(_("attachment"), upload_to="secretary_reports/%Y/", blank=True,
                                  validators=[within_upload_limit])  # fmt: skip
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             validators=[MaxValueValidator(100)])  # fmt: skip
    grade = models.CharField(_("grade"), max_length=12, choices=Rating.choices, blank=True)
    comment = models.TextField(_("evaluation"), blank=True, **TEXT)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluated_by = user_link()
    recorded_by = user_link()

    class Meta:
        verbose_name = _("secretary's yearly report")
        verbose_name_plural = _("secretaries' yearly reports")
        ordering = ["-year", "organization__code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_report_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.year}"


class Issue(models.Model):
    """A shortcoming the evaluation names, to be fixed by a deadline, and what was done."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="issues")
    description = models.CharField(_("issue to fix"), max_length=300, **TEXT)
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("fixed on"), null=True, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True, **TEXT)

    class Meta:
        verbose_name = _("issue to fix")
        verbose_name_plural = _("issues to fix")
        ordering = ["report", "deadline", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.deadline}"
