"""Writes of community reports, activities and evaluations."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import PARTY_MEMBER_STATUSES
from members.models import Member
from partybuild.validators import refuse, refuse_future

from .models import Activity, Evaluation, Report


def _party_member(member: Member) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status not in PARTY_MEMBER_STATUSES:
        refuse(_("Only full and probationary members report to a community."))
    return member


@transaction.atomic
def report_start(*, member: Member, community: str, reported_on: datetime.date,
                 card_number: str = "", by=None) -> Report:  # fmt: skip
    member = _party_member(member)
    refuse_future(reported_on, "reported_on")
    if Report.objects.filter(member=member, ended_on__isnull=True).exists():
        refuse(_("The member's report to a community is in force; end it first (a move)."))
    return Report.objects.create(member=member, community=community.strip(),
                                 reported_on=reported_on, card_number=card_number.strip(),
                                 recorded_by=by)  # fmt: skip


@transaction.atomic
def report_end(*, report: Report, on: datetime.date) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.ended_on is not None:
        refuse(_("This report has ended already."))
    refuse_future(on, "on")
    if on < report.reported_on:
        refuse(_("The end cannot come before the report (%(day)s).")
                % {"day": report.reported_on.isoformat()}, "on")  # fmt: skip
    report.ended_on = on
    report.save(update_fields=["ended_on"])
    return report


@transaction.atomic
def activity_add(*, report: Report, on: datetime.date, what: str, hours: Decimal,
                 by=None) -> Activity:  # fmt: skip
    report = Report.objects.select_for_update().get(pk=report.pk)
    refuse_future(on, "on")
    if not report.in_force_on(on):
        refuse(_("On that day the member had not reported to this community."), "on")
    return Activity.objects.create(report=report, on=on, what=what.strip(), hours=hours,
                                   recorded_by=by)  # fmt: skip


@transaction.atomic
def evaluation_set(*, member: Member, year: int, grade: str, remark: str = "",
                   by=None) -> Evaluation:  # fmt: skip
    """The community's evaluation of the year (recorded again, it replaces the earlier)."""
    member = _party_member(member)
    if year > timezone.localdate().year:
        refuse(_("The year has not begun yet."), "year")
    evaluation, _created = Evaluation.objects.update_or_create(
        member=member, year=year,
        defaults={"grade": grade, "remark": remark.strip(), "recorded_by": by},
    )  # fmt: skip
    return evaluation


def evaluations_for(member_ids, year: int) -> dict[int, Evaluation]:
    """The year's evaluations of the members, by member id (the appraisal grid shows them)."""
    return {e.member_id: e for e in Evaluation.objects.filter(member_id__in=member_ids, year=year)}
