"""Dashboard, ratio report and recompute pages of the statistics (figures from snapshots)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisals.figures import figures_by_year
from appraisals.views import visible_campaigns
from development.figures import DevelopmentFigures, PlanProgress
from development.models import DevelopmentPlan
from organizations import access
from organizations.models import BRANCH_KINDS, Organization, OrganizationClosure
from partybuild import audit
from partybuild.jobs import export, export_table
from partybuild.models import Action
from partybuild.replica import reads_from_replica

from . import figures as f
from .dimensions import BY_NAME, group
from .engine import FLAG_COLUMNS
from .models import Figures, JobStatus, Snapshot, StatsRun
from .tasks import changed_since, request_recompute, write_yearly, yearly_report

PAGE_SIZE = 50
APPRAISAL_RATIOS = {r.key for r in f.RATIOS if r.appraisal}
LEVELS = ("children", "branches")


def _organization(request: HttpRequest, pk: int | None) -> Organization:
    if pk is None:
        root = access.scope_roots(request.user).first()
        if root is None:
            raise Http404
        return root
    return access.get_for_user(Organization.objects.all(), request.user, via="self", pk=pk)


def _as_of(request: HttpRequest) -> datetime.date | None:
    """The date asked for (?as_of=), None for the newest; a bad date answers 404."""
    value = request.GET.get("as_of") or request.POST.get("as_of")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _row(request, snapshot: Snapshot, org: Organization, *, subtree: bool = True) -> Figures:
    return get_object_or_404(
        f.scoped_figures(request.user, snapshot, subtree=subtree), organization=org
    )


def _snapshot_of(request, org: Organization, as_of) -> tuple[Snapshot | None, Snapshot | None]:
    """(the snapshot to show, the one that exists but predates the organization). An
    organization newer than the figures gets an empty state, never a 404."""
    snapshot = f.current_snapshot(as_of)
    if snapshot is not None and not Figures.objects.filter(snapshot=snapshot,
                                                           organization=org).exists():  # fmt: skip
        return None, snapshot
    return snapshot, None


@login_required
@reads_from_replica
def dashboard(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = _organization(request, pk)
    as_of = _as_of(request)
    snapshot, too_old = _snapshot_of(request, org, as_of)
    running = StatsRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    context = {
        "organization": org,
        "snapshot": snapshot,
        "too_old": too_old,
        "asked_for": as_of,
        "shown_date": snapshot.as_of if snapshot else as_of,
        "dates": f.available_dates(),
        "running": running,
        "can_recompute": access.can_manage_tree(request.user),
        "today": timezone.localdate(),
    }
    if snapshot is not None:
        row = _row(request, snapshot, org)
        context |= _dashboard_figures(request, snapshot, org, row)
        context["changed_since"] = changed_since(snapshot.computed_at)
    return render(request, "reports/dashboard.html", context)


def _dashboard_figures(request, snapshot: Snapshot, org: Organization, row: Figures) -> dict:
    tables = f.composition(row)
    charts = {
        key: {"labels": [r.label for r in tables[key]], "counts": [r.count for r in tables[key]]}
        for key in ("gender", "age", "education", "occupation")
    }
    return {
        "row": row,
        "headline": f.headline(row),
        "tables": tables,
        "charts": charts,
        "development": f.development_rows(row),
        "plan": _plan_progress(org, snapshot, row),
        "appraisal": _appraisal(request, org, snapshot),
        "meetings": f.meeting_rows(row),
        "compliance": f.RATIO_BY_KEY["compliance"].of(row),
        "attendance": f.RATIO_BY_KEY["attendance"].of(row),
        "dues": f.dues_figures(row),
        "community": f.community_rows(row),
        "training": f.training_rows(row),
        "secretary_reports": f.secretary_rows(row),
        "flags": _flag_rows(row),
        "organizations": f.organization_rows(row),
    }


def _plan_progress(org: Organization, snapshot: Snapshot, row: Figures) -> PlanProgress | None:
    plan = DevelopmentPlan.objects.filter(organization=org, year=snapshot.development_year).first()
    if plan is None:
        return None
    done = DevelopmentFigures(
        developed=row.dev_total, women=row.dev_women, minorities=row.dev_minority,
        young=row.dev_young, college=row.dev_college,
    )  # fmt: skip
    return PlanProgress(plan=plan, figures=done)


def _appraisal(request, org: Organization, snapshot: Snapshot) -> dict:
    """The appraisal card: the year shown (?appraisal=), its figures when finished, the years
    under way, and links to the campaigns the user may open. Sheets have no past states, so
    the appraisal is where it stands today, whatever the date of the member figures."""
    panel = f.appraisal_panel(org, timezone.localdate(), request.GET.get("appraisal"))
    campaigns = panel.campaigns
    ids = [c.pk for c in campaigns]
    visible = set(visible_campaigns(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    figures = panel.figures
    return {
        "panel": panel,
        "grades": f.grade_rows(figures) if figures else [],
        "participation": f.RATIO_BY_KEY["participation"].of(figures),
        "campaigns": [(c, c.pk in visible) for c in campaigns],
    }


def _flag_rows(row: Figures) -> list[tuple[str, str, int]]:
    columns = group("health")
    return [(c.name, str(c.label), getattr(row, c.name)) for c in columns]


@login_required
@reads_from_replica
def flagged(request: HttpRequest, pk: int, flag: str) -> HttpResponse:
    """The organizations of the subtree with one health flag in the snapshot."""
    org = _organization(request, pk)
    if flag not in set(FLAG_COLUMNS.values()):
        raise Http404
    snapshot = f.current_snapshot(_as_of(request))
    if snapshot is None:
        raise Http404
    rows = (
        f.scoped_figures(request.user, snapshot, subtree=False)
        .filter(organization__ancestor_links__ancestor=org, **{flag: 1})
        .select_related("organization__parent")
        .order_by("organization__code")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    label = BY_NAME[flag].label
    context = {"organization": org, "snapshot": snapshot, "page": page, "label": label,
               "flag": flag, "query": _query(request, exclude="page")}  # fmt: skip
    return render(request, "reports/flagged.html", context)


@login_required
@require_POST
@reads_from_replica
def flagged_export(request: HttpRequest, pk: int, flag: str) -> HttpResponse:
    """The flagged organizations as a workbook (all of them, not the page)."""
    org = _organization(request, pk)
    if flag not in set(FLAG_COLUMNS.values()):
        raise Http404
    snapshot = f.current_snapshot(_as_of(request))
    if snapshot is None:
        raise Http404
    rows = f.scoped_figures(request.user, snapshot, subtree=False).filter(
        organization__ancestor_links__ancestor=org, **{flag: 1}
    )
    return export_table(
        request, table="reports.exports.flagged_table", kind="flagged_export",
        title=BY_NAME[flag].label, scope=org.name, rows=rows.count(), organization_id=org.pk,
        params={"organization": org.pk, "flag": flag, "as_of": snapshot.as_of.isoformat()},
    )  # fmt: skip


@login_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff start a run for the date shown (or a past date); the page follows its progress."""
    org = _organization(request, pk)
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    as_of = _as_of(request) or timezone.localdate()
    if as_of > timezone.localdate():
        messages.error(request, _("The date cannot be in the future."))
        return redirect("reports:dashboard_of", org.pk)
    run = request_recompute(as_of, user=request.user)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"run": run.pk, "status_url": reverse("reports:run_status",
                                                                  args=[run.pk])})  # fmt: skip
    return redirect(f"{reverse('reports:dashboard_of', args=[org.pk])}?as_of={as_of}")


@login_required
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a run, for the dashboard's polling. A run covers the whole tree and
    carries no figures, so anyone with a role may follow it."""
    if access.user_role(request.user) is None and not request.user.is_superuser:
        raise Http404
    run = get_object_or_404(StatsRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "label": run.get_status_display(),
            "progress": run.progress,
            "parts": f"{run.parts_done}/{run.parts_total}",
            "as_of": run.as_of.isoformat(),
            "error": run.error if run.status == JobStatus.FAILED else "",
        }
    )


@login_required
@reads_from_replica
def ratios(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Ratios of each organization below the chosen one, sorted on the server, paginated,
    with the chosen organization's own totals and ratios as the last line."""
    org = _organization(request, pk)
    level = request.GET.get("level", "children")
    level = level if level in LEVELS else "children"
    snapshot, too_old = _snapshot_of(request, org, _as_of(request))
    # The way up stops at the top of the user's scope (above it the page would answer 404).
    up = access.scoped(Organization.objects.filter(pk=org.parent_id), request.user, via="self")
    context = {"organization": org, "level": level, "snapshot": snapshot, "too_old": too_old,
               "up": up.first() if org.parent_id else None,
               "ratios": f.RATIOS,
               "levels": LEVELS, "dates": f.available_dates()}  # fmt: skip
    if snapshot is not None:
        panel = f.appraisal_panel(org, timezone.localdate(), request.GET.get("appraisal"))
        year = panel.shown.year if panel.figures is not None else None
        sort = request.GET.get("sort", "code")
        rows, sort = sorted_rows(request.user, snapshot, org, level, sort)
        if sort.lstrip("-") in APPRAISAL_RATIOS:
            ordered = sorted_by_appraisal(rows, sort, year)
        else:  # sort and cut the page on ids only, then read the page's 50 wide rows
            ordered = rows.values_list("pk", flat=True)
        page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        wide = f.scoped_figures(request.user, snapshot).select_related("organization")
        by_pk = wide.in_bulk(list(page.object_list))
        parent = _row(request, snapshot, org)
        shown = [by_pk[pk] for pk in page.object_list]
        appraised = appraisal_figures(year, [*shown, parent])
        context |= {
            "panel": panel,
            "page": page,
            "lines": [line(row, appraised) for row in shown],
            "total": line(parent, appraised),
            "sort": sort,
            "query": _query(request, exclude="page"),
            "sort_query": _query(request, exclude="sort", also_exclude="page"),
        }
    return render(request, "reports/ratios.html", context)


def sorted_rows(user, snapshot: Snapshot, org: Organization, level: str, sort: str):
    """The Figures rows of the level below `org`, in the order asked for (and the order
    actually used: an unknown key sorts by code)."""
    rows = f.scoped_figures(user, snapshot)
    if level == "children":
        rows = rows.filter(organization__parent=org)
    else:
        rows = rows.filter(
            organization__ancestor_links__ancestor=org, organization__kind__in=BRANCH_KINDS
        ).exclude(organization=org)
    key = sort.lstrip("-")
    if key in APPRAISAL_RATIOS:
        value = "organization__code"
    elif key in f.RATIO_BY_KEY:
        rows = rows.annotate(sort_value=f.RATIO_BY_KEY[key].expression())
        value = "sort_value"
    elif key in f.SORTABLE_COUNTS:
        value = key
    else:
        sort, key, value = "code", "code", "organization__code"
    field = (
        F(value).desc(nulls_last=True) if sort.startswith("-") else F(value).asc(nulls_last=True)
    )
    return rows.order_by(field, "organization__code"), sort


def sorted_by_appraisal(rows, sort: str, year: int | None) -> list[int]:
    """Figures ids in the order of an appraisal ratio of the year (computed live in one
    grouped query over the candidates), empty values last, then by code."""
    candidates = list(rows.values_list("pk", "organization_id"))
    if year is None:
        return [pk for pk, _org in candidates]
    ratio = f.RATIO_BY_KEY[sort.lstrip("-")]
    figures = figures_by_year(year, rows.values("organization_id").order_by())
    values = {pk: ratio.of(figures[org]) for pk, org in candidates}
    known = [pk for pk, _org in candidates if values[pk] is not None]
    known.sort(key=values.__getitem__, reverse=sort.startswith("-"))  # stable: code order
    return known + [pk for pk, _org in candidates if values[pk] is None]


def appraisal_figures(year: int | None, rows: list[Figures]) -> dict:
    if year is None:
        return {}
    return figures_by_year(year, [row.organization_id for row in rows])


def line(row: Figures, appraised: dict) -> dict:
    appraisal = appraised.get(row.organization_id)
    return {
        "row": row,
        "organization": row.organization,
        "members": row.members,
        "developed": row.dev_total,
        "ratios": [r.of(appraisal if r.appraisal else row) for r in f.RATIOS],
    }


def _query(request: HttpRequest, *, exclude: str, also_exclude: str = "") -> str:
    params = request.GET.copy()
    for name in (exclude, also_exclude):
        params.pop(name, None)
    return params.urlencode()


@login_required
@require_POST
@reads_from_replica
def ratios_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The ratio report as shown (level, date, order, appraisal year), every line of it."""
    org = _organization(request, pk)
    snapshot, _too_old = _snapshot_of(request, org, _as_of(request))
    if snapshot is None:
        raise Http404
    level = request.POST.get("level", "children")
    level = level if level in LEVELS else "children"
    rows, _sort = sorted_rows(request.user, snapshot, org, level, "code")
    params = {"organization": org.pk, "as_of": snapshot.as_of.isoformat(), "level": level,
              "sort": request.POST.get("sort", "code"),
              "appraisal": request.POST.get("appraisal", ""),
              "today": timezone.localdate().isoformat()}  # fmt: skip
    return export_table(
        request, table="reports.exports.ratio_table", kind="ratios_export",
        title=_("Ratio report"), scope=org.name, rows=rows.count() + 1, organization_id=org.pk,
        params=params,
    )  # fmt: skip


@login_required
@require_POST
@reads_from_replica
def yearly(request: HttpRequest, pk: int) -> HttpResponse:
    """The yearly workbook of the subtree for the date: streamed when the subtree is small,
    otherwise written by a worker while the job page shows progress."""
    org = _organization(request, pk)
    snapshot, _too_old = _snapshot_of(request, org, _as_of(request))
    if snapshot is None:
        messages.info(request, _("There are no figures for this organization yet."))
        return redirect("reports:dashboard_of", pk=org.pk)
    size = OrganizationClosure.objects.filter(ancestor=org).count()
    audit.record(
        request, Action.EXPORT, obj=org, summary=_("yearly workbook"), organization_id=org.pk,
        as_of=snapshot.as_of.isoformat(), organizations=size,
    )  # fmt: skip
    return export(
        request, task=yearly_report, kind="yearly_report", title=_("yearly workbook"),
        scope=org.name, params={"organization": org.pk, "as_of": snapshot.as_of.isoformat()},
        work=write_yearly, later=size > settings.YEARLY_INLINE_LIMIT, day=snapshot.as_of,
    )  # fmt: skip
