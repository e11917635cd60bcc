"""Writes of secretaries' reports: the organization writes and submits; the superior
evaluates (score and grade) and names issues; the organization records their follow-up."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization, Position, Post
from partybuild.validators import refuse, refuse_future

from .models import Issue, Report


def report_for(organization: Organization, year: int) -> Report:
    """The organization's report of the year, begun with its current secretary."""
    report = Report.objects.filter(organization=organization, year=year).first()
    if report is None:
        holder = (Position.objects.current().filter(organization=organization, post=Post.SECRETARY)
                  .values_list("member_id", flat=True).first())  # fmt: skip
        report = Report(organization=organization, year=year, secretary_id=holder)
    return report


@transaction.atomic
def report_save(*, report: Report, submit: bool, by=None) -> Report:
    if report.pk and Report.objects.filter(pk=report.pk, evaluated_on__isnull=False).exists():
        refuse(_("The report has been evaluated; it can no longer be changed."))
    if report.year > timezone.localdate().year:
        refuse(_("The year has not begun yet."))
    if submit:
        if not (report.text.strip() or report.attachment):
            refuse(_("Write the report or attach it."), "text")
        report.submitted_on = report.submitted_on or timezone.localdate()
    report.recorded_by = by
    report.save()
    return report


@transaction.atomic
def report_evaluate(*, report: Report, score: int, grade: str, comment: str = "",
                    on: datetime.date | None = None, by=None) -> Report:  # fmt: skip
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.submitted_on is None:
        refuse(_("The report has not been submitted."))
    on = on or timezone.localdate()
    refuse_future(on)
    report.score, report.grade, report.comment = score, grade, comment.strip()
    report.evaluated_on, report.evaluated_by = on, by
    report.save(update_fields=["score", "grade", "comment", "evaluated_on", "evaluated_by"])
    return report


def issue_add(*, report: Report, description: str, deadline: datetime.date) -> Issue:
    if report.evaluated_on is None:
        refuse(_("Issues are named with the evaluation."))
    return Issue.objects.create(report=report, description=description.strip(), deadline=deadline)


def issue_done(*, issue: Issue, on: datetime.date, follow_up: str) -> Issue:
    refuse_future(on)
    if not follow_up.strip():
        refuse(_("Say what was done."), "follow_up")
    issue.done_on, issue.follow_up = on, follow_up.strip()
    issue.save(update_fields=["done_on", "follow_up"])
    return issue
