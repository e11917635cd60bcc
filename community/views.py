"""Reporting to residential communities: who of a subtree's members in service has
reported, their activities and the community's evaluations. Lookups go through
organizations.access: members by their organization, reports by their member's."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from organizations import access
from organizations.models import Organization, OrganizationClosure
from partybuild.dates import year_asked
from partybuild.forms import service_form_page
from partybuild.statistics import LIVE_COUNT_LIMIT, recent_counts

from . import services
from .forms import ActivityForm, EndForm, EvaluationForm, ReportForm
from .models import Activity, Evaluation, Report, in_service
from .statistics import reported_on

PAGE_SIZE = 50


def _member(request, pk: int, *, write: bool = False) -> Member:
    return access.get_for_user(Member.objects.select_related("organization"), request.user,
                               pk=pk, write=write)  # fmt: skip


def _report(request, pk: int, *, write: bool = False) -> Report:
    return access.get_for_user(Report.objects.select_related("member"), request.user,
                               via="member__organization", pk=pk, write=write)  # fmt: skip


def _year(request) -> int:
    return year_asked(request.GET.get("year"), timezone.localdate().year)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The subtree's party members in service: reported or not, the year's activities and
    hours, the community's evaluation of the year. Two counts and one page, in the member
    list's index order (organization, name): a whole city's first page reads 50 rows."""
    org = access.get_for_user(Organization.objects, request.user, via="self", pk=pk)
    year, today = _year(request), timezone.localdate()
    missing = request.GET.get("missing") == "1"
    members = Member.objects.filter(
        in_service(), organization__in=Organization.objects.subtree_of(org.pk).values("pk")
    )
    reported = reported_on(today).filter(member__in=members.values("pk"))
    # NOT EXISTS per member, in the list's index order: stops after a page of them (a NOT IN
    # over the city's 188,000 reports hashed them all first: 1.4 s).
    in_force = reported_on(today).filter(member=OuterRef("pk"))
    listed = members.exclude(Exists(in_force)) if missing else members
    paginator = Paginator(
        listed.select_related("organization").order_by("organization_id", "name", "pk"),
        PAGE_SIZE,
    )
    counted = _counted_recently(org, today)
    counted_on = None
    if counted is not None:
        total, reported_count, counted_on = counted
        paginator.count = total - reported_count if missing else total
    page = paginator.get_page(request.GET.get("page"))
    ids = [m.pk for m in page]
    reports = {r.member_id: r for r in reported_on(today).filter(member_id__in=ids)}
    effort = {
        r["report__member_id"]: r
        for r in Activity.objects.filter(report__member_id__in=ids, on__year=year)
        .values("report__member_id").annotate(count=Count("id"), hours=Sum("hours")).order_by()
    }  # fmt: skip
    evaluations = services.evaluations_for(ids, year)
    rows = [(m, reports.get(m.pk), effort.get(m.pk), evaluations.get(m.pk)) for m in page]
    if counted is None:
        reported_count = reported.values("member_id").distinct().count()
        total = page.paginator.count + (reported_count if missing else 0)
    return render(request, "community/overview.html", {
        "organization": org, "page": page, "rows": rows, "year": year, "missing": missing,
        "total": total, "reported": reported_count,
        "counted_on": counted_on,
        "query": f"year={year}" + ("&missing=1" if missing else ""),
    })  # fmt: skip


# Above this many party members in the subtree, the two counts come from the statistics
# (the same columns): counting them live took 460 and 270 ms for a city of 287,000.
def _counted_recently(org: Organization, today) -> tuple[int, int, datetime.date] | None:
    """(in service, reported, as of) of a large subtree from the statistics of today or
    yesterday (the night's run comes after midnight), or None: small subtrees, and days
    without recent figures, are counted live."""
    members = OrganizationClosure.objects.filter(ancestor=org).aggregate(
        n=Sum("descendant__tally__full") + Sum("descendant__tally__probationary")
    )["n"]
    if not members or members <= LIVE_COUNT_LIMIT:
        return None
    figures = recent_counts(org.pk, today, ["comm_in_service", "comm_reported"])
    if figures is None:
        return None
    as_of, row = figures
    return row["comm_in_service"], row["comm_reported"], as_of


@login_required
def member_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return render(request, "community/member.html", {
        "member": member,
        "can_write": access.writable_organizations(request.user)
        .filter(pk=member.organization_id).exists(),
        "reports": member.community_reports.prefetch_related("activities")
        .order_by("-reported_on"),
        "evaluations": Evaluation.objects.filter(member=member).order_by("-year"),
    })  # fmt: skip


def _back(member: Member) -> str:
    return reverse("community:member", args=[member.pk])


@login_required
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, write=True)
    back = _back(member)
    return service_form_page(
        request, ReportForm(request.POST or None),
        lambda data: services.report_start(member=member, by=request.user, **data),
        title=_("%(name)s reports to a community") % {"name": member.name},
        done=lambda _report: back, back_url=back,
    )  # fmt: skip


@login_required
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=True)
    back = _back(report.member)
    return service_form_page(
        request, EndForm(request.POST or None),
        lambda data: services.report_end(report=report, on=data["on"]),
        title=_("End the report to %(community)s") % {"community": report.community},
        done=lambda _report: back, back_url=back,
    )  # fmt: skip


@login_required
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=True)
    back = _back(report.member)
    return service_form_page(
        request, ActivityForm(request.POST or None),
        lambda data: services.activity_add(report=report, by=request.user, **data),
        title=_("Activity in %(community)s") % {"community": report.community},
        done=lambda _activity: back, back_url=back,
    )  # fmt: skip


@login_required
def evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, write=True)
    back = _back(member)
    return service_form_page(
        request, EvaluationForm(request.POST or None, initial={"year": _year(request)}),
        lambda data: services.evaluation_set(member=member, by=request.user, **data),
        title=_("Community evaluation of %(name)s") % {"name": member.name},
        done=lambda _evaluation: back, back_url=back,
    )  # fmt: skip
