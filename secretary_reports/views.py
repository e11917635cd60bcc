"""Secretaries' yearly reports: who in a subtree has reported and how they were rated, the
organization's own report, the superior's evaluation and the issues to fix. Lookups go
through organizations.access: reports by their organization, evaluations by the superior's
scope (access.decides_for)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import access
from organizations.models import Organization
from partybuild.choices import Rating
from partybuild.dates import year_asked
from partybuild.files import send_file
from partybuild.forms import add_service_errors, service_form_page

from . import services
from .forms import DoneForm, EvaluationForm, IssueForm, ReportForm
from .models import Issue, Report

PAGE_SIZE = 50


def _year(request) -> int:
    return year_asked(request.GET.get("year"), timezone.localdate().year)


def _report(request, pk: int, *, write: bool = False) -> Report:
    return access.get_for_user(Report.objects.select_related("organization", "secretary"),
                               request.user, pk=pk, write=write)  # fmt: skip


def _url(report: Report) -> str:
    return reverse("secretary_reports:report", args=[report.pk])


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_for_user(Organization.objects, request.user, via="self", pk=pk)
    year = _year(request)
    subtree = Organization.objects.subtree_of(org.pk).active()
    page = Paginator(subtree.order_by("depth", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    reports = {r.organization_id: r for r in Report.objects.filter(
        year=year, organization__in=[o.pk for o in page])}  # fmt: skip
    graded = dict(
        Report.objects.filter(year=year, organization__in=subtree.values("pk"))
        .exclude(grade="").values_list("grade").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    return render(request, "secretary_reports/overview.html", {
        "organization": org, "year": year, "page": page, "query": f"year={year}",
        "rows": [(o, reports.get(o.pk)) for o in page],
        "grades": [(r.label, graded.get(r.value, 0)) for r in Rating],
        "can_write": access.writable_organizations(request.user).filter(pk=org.pk).exists(),
    })  # fmt: skip


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization's own report of the year: write, attach, save, submit."""
    org = access.get_for_user(Organization.objects, request.user, via="self", pk=pk, write=True)
    report = services.report_for(org, _year(request))
    form = ReportForm(request.POST or None, request.FILES or None, instance=report)
    if request.method == "POST" and form.is_valid():
        form.save_attachment_name()
        try:
            saved = services.report_save(report=form.instance, submit="submit" in request.POST,
                                         by=request.user)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_url(saved))
    return render(request, "secretary_reports/edit.html", {"form": form, "report": report,
                                                           "organization": org})  # fmt: skip


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    writes = access.writable_organizations(request.user).filter(pk=item.organization_id).exists()
    return render(request, "secretary_reports/report.html", {
        "report": item, "issues": item.issues.all(), "can_write": writes,
        "can_evaluate": item.submitted_on is not None and _is_superior(request, item),
    })  # fmt: skip


def _is_superior(request, report: Report) -> bool:
    """The superior evaluates: committee staff in scope, of an organization above the
    reporting one (a committee's own staff do not rate their own secretary)."""
    if not access.decides_for(request.user, report.organization):
        return False
    role = access.user_role(request.user)
    return request.user.is_superuser or role.organization_id != report.organization_id


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    if not item.attachment:
        raise Http404
    return send_file(item.attachment, item.attachment_name or "report")


def _superior(request, pk: int) -> Report:
    item = _report(request, pk)
    if not _is_superior(request, item):
        raise PermissionDenied
    return item


@login_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _superior(request, pk)
    initial = {"score": item.score, "grade": item.grade, "comment": item.comment}
    return service_form_page(
        request, EvaluationForm(request.POST or None, initial=initial),
        lambda data: services.report_evaluate(report=item, by=request.user, **data),
        title=_("Evaluation of the report of %(name)s") % {"name": item.organization.name},
        done=_url, back_url=_url(item),
    )  # fmt: skip


@login_required
def issue_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _superior(request, pk)
    return service_form_page(
        request, IssueForm(request.POST or None),
        lambda data: services.issue_add(report=item, **data),
        title=_("An issue to fix for %(name)s") % {"name": item.organization.name},
        done=lambda issue: _url(item), back_url=_url(item),
    )  # fmt: skip


@login_required
def issue_done(request: HttpRequest, pk: int) -> HttpResponse:
    issue = access.get_for_user(Issue.objects.select_related("report"), request.user,
                                via="report__organization", pk=pk, write=True)  # fmt: skip
    return service_form_page(
        request, DoneForm(request.POST or None),
        lambda data: services.issue_done(issue=issue, **data),
        title=_("Issue fixed"), done=lambda done: _url(issue.report),
        back_url=_url(issue.report),
    )  # fmt: skip
