"""Development pages: the branch board, a person's procedure, steps, approvals, reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.choices import Status
from members.forms import RosterImportForm
from members.models import Member
from members.services import member_create
from organizations import access
from organizations.models import Organization, Policy
from partybuild import audit
from partybuild.files import send_file, workbook_response
from partybuild.forms import add_service_errors, form_page
from partybuild.imports import import_page
from partybuild.links import url_with_pk
from partybuild.models import Action
from partybuild.statistics import LIVE_COUNT_LIMIT, recent_counts

from . import progress, reminders, services, tasks, workdays
from .figures import DevelopmentFigures, PlanProgress, development_figures
from .forms import (
    ApplicantForm,
    BoardFilterForm,
    CalendarDayForm,
    PlanForm,
    ReturnForm,
    StepForm,
)
from .importer import import_as, write_template
from .models import Approval, CalendarDay, DevelopmentPlan, Step, StepKind
from .votes import vote_result


def _member(request: HttpRequest, pk: int, *, write: bool = False) -> Member:
    return access.get_for_user(
        Member.objects.select_related("organization"), request.user, write=write, pk=pk
    )


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """Columns by stage for an organization and everything below it."""
    org = access.get_for_user(Organization.objects, request.user, via="self", pk=pk)
    chooser = BoardFilterForm(
        request.GET or None, organizations=access.visible_organizations(request.user),
        initial={"organization": org},
    )  # fmt: skip
    if chooser.is_valid() and chooser.cleaned_data["organization"] != org:
        stage = chooser.cleaned_data["stage"]
        url = reverse("development:board", args=[chooser.cleaned_data["organization"].pk])
        return redirect(f"{url}?stage={stage}" if stage else url)
    stage = request.GET.get("stage", "")
    stage = stage if stage in progress.BOARD_STATUSES else ""
    members = access.in_subtree(Member.objects, request.user, org)
    can_write = access.writable_organizations(request.user).filter(pk=org.pk).exists()
    year = _figures_year()
    counts, by_child = progress.stage_counts(org)
    figures, counted_on = _year_figures(org, year, counts)
    plan = DevelopmentPlan.objects.filter(organization=org, year=year).first()
    columns = progress.board(members, counts)
    page, cards = (
        progress.stage_cards(members, stage, request.GET.get("page")) if stage else (None, [])
    )
    return render(
        request,
        "development/board.html",
        {
            "org": org,
            "chooser": chooser,
            "stage": stage,
            "stage_label": Status(stage).label if stage else "",
            "page": page,
            "cards": cards,
            "query": f"stage={stage}",
            "columns": columns,
            "by_child": _child_rows(by_child),
            "can_write": can_write,
            "year": year,
            "figures": figures,
            "counted_on": counted_on,
            "progress": PlanProgress(plan, figures) if plan else None,
            "can_plan": can_write and access.can_manage_tree(request.user),
        },
    )


# The statistics' columns of the year's admissions, by the figures' field they give.
DEVELOPMENT_COLUMNS = {"developed": "dev_total", "women": "dev_women",
                       "minorities": "dev_minority", "young": "dev_young",
                       "college": "dev_college"}  # fmt: skip


def _year_figures(org: Organization, year: int, counts: dict[str, int]):
    """(figures, as of): this year's admissions in the subtree, counted live, or for a large
    subtree (a city's 9,000 admissions) from the statistics of today or yesterday."""
    today = timezone.localdate()
    members = counts[Status.FULL] + counts[Status.PROBATIONARY]
    if year == today.year and members > LIVE_COUNT_LIMIT:
        recent = recent_counts(org.pk, today, list(DEVELOPMENT_COLUMNS.values()))
        if recent is not None:
            as_of, row = recent
            figures = {field: row[column] for field, column in DEVELOPMENT_COLUMNS.items()}
            return DevelopmentFigures(**figures), as_of
    return development_figures(org, year), None


def _child_rows(counts_by_child: list[tuple]) -> str:
    """The table rows of the children (a link, then their counts), made here, every name
    escaped: a working committee has 400 children, which the template engine took 60 ms to
    lay out cell by cell, and still 40 ms row by row."""
    board = url_with_pk("development:board")
    return mark_safe("".join(
        f'<tr><td><a href="{escape(board(child.pk))}">{escape(child.name)}</a></td>'
        + "".join(f'<td class="text-end">{int(n)}</td>' for n in counts) + "</tr>"
        for child, counts in counts_by_child
    ))  # fmt: skip


def _figures_year() -> int:
    return timezone.localdate().year


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    steps = list(
        member.development_steps.select_related("vote", "approving_organization", "decided_by")
        .prefetch_related("people")
        .order_by("on", "id")
    )
    history = services.History.from_steps(steps)
    pending = {s.kind for s in steps if s.approval == Approval.PENDING}
    policy = Policy.current()
    can_write = (
        access.writable_organizations(request.user).filter(pk=member.organization_id).exists()
    )
    next_kinds = progress.possible_steps(history, pending, policy, timezone.localdate())
    return render(
        request,
        "development/person.html",
        {
            "member": member,
            "steps": [(s, vote_result(s.vote) if s.vote else None) for s in steps],
            "redone": _redone(steps, history),
            "stage": services.stage_of(member),
            "dues": reminders.dues_of(member, steps, policy),
            "next_steps": [(k, StepKind(k).label) for k in next_kinds] if can_write else [],
            "timeline": progress.timeline(
                history, pending, next_kinds, policy, timezone.localdate()
            ),
            "can_write": can_write,
        },
    )


def _redone(steps: list[Step], history: services.History) -> set[int]:
    """Steps in force once but set aside by a rejecting vote: to be done again."""
    kept = {s.pk for s in history.steps} | {s.pk for s in history.failed}
    return {s.pk for s in steps if s.in_force and s.pk not in kept}


@login_required
def step_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded file, for those who may read the person's record only, under the name it
    was uploaded with. Uploaded files have no public address."""
    step = access.get_for_user(
        Step.objects.select_related("member"), request.user, via="member__organization", pk=pk
    )
    if not step.attachment:
        raise Http404
    name = step.attachment_name or step.attachment.name.rsplit("/", 1)[-1]
    return send_file(step.attachment, name)


@login_required
def step_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    member = _member(request, pk, write=True)
    if kind not in StepKind.values:
        raise Http404
    form = StepForm(request.POST or None, request.FILES or None, kind=kind, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_record(
                member=member, kind=kind, by=request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("development:person", pk=member.pk)
    return render(
        request,
        "development/step_form.html",
        {"form": form, "member": member, "kind_label": StepKind(kind).label},
    )


@login_required
def applicant_new(request: HttpRequest) -> HttpResponse:
    """Register a person and their written application (step 1) in one go."""
    writable = access.writable_organizations(request.user)
    if not writable.exists():
        raise PermissionDenied
    form = ApplicantForm(request.POST or None, organizations=writable)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                member = form.save(commit=False)
                member.status = "applicant"
                on = form.cleaned_data["application_on"]
                member_create(member=member, since=on, by=request.user)
                services.step_record(
                    member=member, kind=StepKind.APPLICATION, on=on, by=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application registered."))
            return redirect("development:person", pk=member.pk)
    return form_page(request, form, title=_("New applicant"))


def _approvable(request: HttpRequest):
    """Pending steps decided by a committee in the user's care (staff only)."""
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    return Step.objects.filter(
        approval=Approval.PENDING,
        approving_organization__in=access.writable_organizations(request.user).values("pk"),
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    steps = (
        _approvable(request)
        .select_related("member__organization", "approving_organization", "recorded_by")
        .order_by("on", "id")
    )
    return render(request, "development/approvals.html", {"steps": steps, "form": ReturnForm()})


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(_approvable(request), pk=pk)
    approve = "approve" in request.POST
    try:
        if approve:
            services.step_approve(step=step, by=request.user)
            messages.success(request, _("Approved."))
        else:
            services.step_return(step=step, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Returned to the branch."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.record(request, Action.APPROVAL, obj=step, summary=step.get_kind_display(),
                     organization_id=step.member.organization_id,
                     decision="approved" if approve else "returned")  # fmt: skip
    return redirect("development:approvals")


@login_required
def calendar_days(request: HttpRequest) -> HttpResponse:
    """Holidays and adjusted working days the staff add for a year the library lacks."""
    if not access.keeps_the_rules(request.user):
        raise PermissionDenied
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Day added."))
        return redirect(reverse("development:calendar_days"))
    return render(
        request,
        "development/calendar.html",
        {
            "form": form,
            "days": CalendarDay.objects.order_by("-day")[:200],
            "coverage": workdays.coverage(timezone.localdate()),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """This year's plan of an organization, set by committee staff over their subtree."""
    org = access.get_for_user(Organization.objects, request.user, via="self", write=True, pk=pk)
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    year = _figures_year()
    plan = DevelopmentPlan.objects.filter(organization=org, year=year).first()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.organization, plan.year, plan.set_by = org, year, request.user
        plan.save()
        messages.success(request, _("Plan saved."))
        return redirect("development:board", pk=org.pk)
    return form_page(
        request,
        form,
        title=_("Development plan %(year)s · %(name)s") % {"year": year, "name": org.name},
        back_url=reverse("development:board", args=[org.pk]),
    )


@login_required
def development_import_page(request: HttpRequest) -> HttpResponse:
    """Historical development records from a spreadsheet: all lines or none."""
    if not access.writable_organizations(request.user).exists():
        raise PermissionDenied
    form = RosterImportForm(
        request.POST or None, request.FILES or None,
        label=_("development records file (.xlsx)"),
    )  # fmt: skip
    return import_page(
        request, form, kind="development_import", run=import_as, task=tasks.development_import,
        template="development/import.html", done=_("%(count)s steps imported."),
        next_url=reverse("development:development_import"),
    )  # fmt: skip


@login_required
def development_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(write_template, "development-template.xlsx")
