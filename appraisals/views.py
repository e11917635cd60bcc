"""Appraisal pages: campaigns, the branch's grid, the superior's decisions, dispositions.

Every lookup goes through organizations.access: sheets and entries by their organization,
campaigns by the subtree they cover.
"""

from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.services import evaluations_for
from organizations import access
from organizations.models import Kind, Organization, OrganizationClosure
from partybuild import audit
from partybuild.files import workbook_response
from partybuild.forms import add_service_errors, form_page
from partybuild.jobs import export_table, work_later
from partybuild.links import url_with_pk
from partybuild.models import Action

from . import services, tasks
from .figures import AppraisalFigures, figures_by_organization, own_figures
from .forms import (
    CampaignForm,
    ConcludeForm,
    DispositionForm,
    SheetUploadForm,
    entry_forms,
    parse_seen,
    seen_json,
)
from .history import sheet_history
from .models import Campaign, Disposition, Entry, Grade, Outcome, Sheet, SheetStatus
from .sheet_io import import_sheet, write_sheet_template
from .tasks import campaign_params


def visible_campaigns(user):
    """Campaigns over the user's scope, or covering part of it (a city-wide campaign seen by
    a party committee's staff or a branch secretary)."""
    visible = access.visible_organizations(user)
    if access.is_everything(visible):  # no search of 14,000 sheets for one in scope
        return Campaign.objects.all()
    own_sheet = Sheet.objects.filter(campaign=OuterRef("pk"), organization__in=visible)
    return Campaign.objects.filter(Q(organization__in=visible) | Exists(own_sheet))


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = visible_campaigns(request.user).select_related("organization").filter(pk=pk)
    if not campaign:
        raise Http404
    return campaign[0]


def _sheet(request: HttpRequest, pk: int, *, write: bool = False) -> Sheet:
    return access.get_for_user(
        Sheet.objects.select_related("campaign", "organization"), request.user, write=write, pk=pk
    )


def _figures_root(request: HttpRequest, campaign: Campaign) -> Organization:
    """The campaign's organization, or the user's own root where the campaign covers more."""
    if access.visible_organizations(request.user).filter(pk=campaign.organization_id).exists():
        return campaign.organization
    return access.scope_roots(request.user).first()


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = visible_campaigns(request.user).select_related("organization")
    return render(
        request,
        "appraisals/campaign_list.html",
        {"campaigns": campaigns, "can_open": access.can_manage_tree(request.user)},
    )


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    organizations = access.writable_organizations(request.user).exclude(
        kind__in=[Kind.BRANCH, Kind.JOINT_BRANCH]
    )
    form = CampaignForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        organization = form.cleaned_data["organization"]
        if OrganizationClosure.objects.filter(ancestor=organization).count() > (
            settings.CAMPAIGN_INLINE_LIMIT
        ):  # a city-wide campaign: its page shows progress instead of a silent wait
            return work_later(
                request, task=tasks.open_campaign, kind="campaign_open",
                title=_("Open an appraisal campaign"), scope=organization.name,
                params=campaign_params(organization, fields),
            )  # fmt: skip
        try:
            campaign = services.campaign_open(organization=organization, by=request.user,
                                              **fields)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaign opened."))
            return redirect("appraisals:campaign_detail", pk=campaign.pk)
    return form_page(request, form, title=_("Open an appraisal campaign"))


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per organization and the figures of the approved sheets."""
    campaign = _campaign(request, pk)
    root = _figures_root(request, campaign)
    if request.GET.get("organization", "").isdigit():
        root = access.get_for_user(
            Organization.objects, request.user, via="self", pk=request.GET["organization"]
        )
    sheets = access.in_subtree(campaign.sheets.all(), request.user, root)
    status_counts = dict(sheets.values_list("status").annotate(n=Count("id")).order_by())
    status = request.GET.get("status", "")
    listed = sheets.filter(status=status) if status in SheetStatus.values else sheets
    page = Paginator(
        listed.select_related("organization").order_by("organization__code"), 50
    ).get_page(request.GET.get("page"))
    _count_members(page)
    children, root_figures = _child_rows(request, campaign, root)
    return render(
        request,
        "appraisals/campaign_detail.html",
        {
            "campaign": campaign,
            "root": root,
            "figures": root_figures,
            "child_rows": children,
            "child_rows_html": _rows_html(children),
            "up": _up(request, campaign, root),
            "statuses": [(s, label, status_counts.get(s, 0)) for s, label in SheetStatus.choices],
            "status": status,
            "page": page,
            "query": f"organization={root.pk}&status={status}",
            "pending": _pending_dispositions(request, campaign),
            "can_decide": access.can_manage_tree(request.user),
            "past_deadline": campaign.deadline < timezone.localdate(),
            "open_statuses": OPEN_STATUSES,
        },
    )


OPEN_STATUSES = (SheetStatus.NOT_STARTED, SheetStatus.DRAFT, SheetStatus.RETURNED)


def _count_members(page) -> None:
    """Each sheet of the page with its number of entries: counted for the page's 50 sheets,
    not for every sheet of the city before paginating."""
    page.object_list = list(page.object_list)
    members = dict(
        Entry.objects.filter(sheet__in=page.object_list)
        .values_list("sheet")
        .annotate(n=Count("id"))
        .order_by()
    )
    for sheet in page.object_list:
        sheet.members = members.get(sheet.pk, 0)


@login_required
@require_POST
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's progress under the organization shown, as a workbook."""
    from .exports import campaign_sheets

    campaign = _campaign(request, pk)
    root = _figures_root(request, campaign)
    if request.POST.get("organization", "").isdigit():
        root = access.get_for_user(
            Organization.objects, request.user, via="self", pk=request.POST["organization"]
        )
    status = request.POST.get("status", "")
    rows = campaign_sheets(request.user, campaign, root, status).count()
    return export_table(
        request, table="appraisals.exports.progress_table", kind="campaign_progress",
        title=_("Progress of %(title)s") % {"title": campaign.title}, scope=root.name,
        rows=rows, organization_id=root.pk,
        params={"campaign": campaign.pk, "organization": root.pk, "status": status,
                "today": timezone.localdate().isoformat()},
    )  # fmt: skip


@login_required
@require_POST
def campaign_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve several submitted sheets at once, each with the checks of one by one."""
    campaign = _campaign(request, pk)
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("sheet") if i.isdigit()]
    sheets = access.scoped(campaign.sheets.filter(pk__in=ids), request.user)
    decided = set(access.writable_organizations(request.user).filter(
        pk__in=sheets.values("organization_id")).values_list("pk", flat=True))  # fmt: skip
    approved, refused = 0, []
    for sheet in sheets.select_related("organization").order_by("organization__code"):
        try:
            if sheet.organization_id not in decided:
                raise PermissionDenied
            services.sheet_approve(sheet=sheet, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else ""
            refused.append(f"{sheet.organization.name} {reason}".strip())
            continue
        audit.record(request, Action.APPROVAL, obj=sheet, summary=sheet.organization.name,
                     organization_id=sheet.organization_id, decision="approved",
                     bulk=True)  # fmt: skip
        approved += 1
    messages.success(request, _("%(count)s sheets approved.") % {"count": approved})
    for line in refused:
        messages.error(request, _("Not approved: %(sheet)s") % {"sheet": line})
    back = reverse("appraisals:campaign_detail", args=[campaign.pk])
    organization = request.POST.get("organization", "")
    return redirect(f"{back}?organization={organization}" if organization.isdigit() else back)


@dataclass
class ChildRow:
    """A child organization of the page's root: its subtree's sheets and figures."""

    organization: Organization
    sheets: int = 0
    approved: int = 0
    sheet_id: int | None = None  # a branch's own sheet, opened instead of drilling down
    figures: AppraisalFigures | None = None

    def html(self, sheet_url) -> SafeString:
        """The whole table row, made here: a working committee's 400 children took the
        template engine 200 ms cell by cell. The name and code escaped, the rest numbers.
        `sheet_url`: pk -> the sheet's address (partybuild.links.url_with_pk)."""
        org = self.organization
        name = escape(org.name)
        if not org.is_branch:
            name = f'<a href="?organization={org.pk}">{name}</a>'
        elif self.sheet_id:
            name = f'<a href="{sheet_url(self.sheet_id)}">{name}</a>'
        return mark_safe(
            f'<tr data-testid="child-{escape(org.code)}"><td>{name}</td>{self.cells()}</tr>'
        )

    def cells(self) -> str:
        """The row's figures as table cells: numbers only, and one escaped title."""
        f = self.figures
        if self.sheets:
            sheets = f"{self.approved} / {self.sheets}"
        else:
            title = escape(_("No party members on the first day of the campaign"))
            sheets = f'<span class="text-muted" title="{title}">—</span>'
        participation = "—" if f.participation is None else f"{f.participation}%"
        grades = "".join(
            f'<td class="text-end">{n}'
            + (f' <span class="text-muted small">({share}%)</span>' if share is not None else "")
            + "</td>"
            for _value, _label, n, share in f.grade_rows
        )
        return mark_safe(
            f'<td class="text-end">{sheets}</td><td class="text-end">{f.should}</td>'
            f'<td class="text-end">{f.took_part}</td><td class="text-end">{participation}</td>'
            + grades
        )


def _child_rows(request: HttpRequest, campaign: Campaign, root: Organization) -> tuple:
    """Every child in the user's scope, whether or not it holds a sheet itself (a party
    committee has none; its branches do), with its whole subtree's sheets counted; and the
    figures of the root and of each child, from the same query."""
    children = list(access.scoped(root.children.all(), request.user, via="self").in_tree_order())
    figures = figures_by_organization(campaign, children)
    # The root's subtree is its own sheet and its children's subtrees (all in the scope of
    # whoever sees the root): summed here, not joined through the closure table again.
    root_figures = sum((figures[c.pk] for c in children), own_figures(campaign, root))
    own_sheets = dict(
        campaign.sheets.filter(organization__in=[c for c in children if c.is_branch]).values_list(
            "organization_id", "pk"
        )
    )
    rows = []
    for child in children:
        f = figures[child.pk]
        if child.is_active or f.sheets:
            rows.append(ChildRow(child, f.sheets, f.approved_sheets, own_sheets.get(child.pk), f))
    return rows, root_figures


def _rows_html(rows: list[ChildRow]) -> SafeString:
    sheet_url = url_with_pk("appraisals:sheet_edit")
    return mark_safe("".join(row.html(sheet_url) for row in rows))


def _up(request: HttpRequest, campaign: Campaign, root: Organization) -> Organization | None:
    """The level above the page's root, while it is still within the campaign and the scope."""
    if root.pk == _figures_root(request, campaign).pk or root.parent_id is None:
        return None
    return access.visible_organizations(request.user).filter(pk=root.parent_id).first()


def _pending_dispositions(request: HttpRequest, campaign: Campaign):
    return (
        access.scoped(Disposition.objects, request.user, via="entry__sheet__organization")
        .filter(entry__sheet__campaign=campaign, outcome__in=[Outcome.PENDING, Outcome.IN_PROGRESS])
        .select_related("entry__member", "entry__sheet__organization")
    )


@login_required
def sheet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch's grid: save a draft at any time, submit when complete."""
    sheet = _sheet(request, pk)
    writes = access.writable_organizations(request.user).filter(pk=sheet.organization_id).exists()
    can_write = sheet.editable and writes
    entries = list(sheet.entries.select_related("member").order_by("member__name", "member_id"))
    conflict, data = None, None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        data = request.POST
        rows = entry_forms(entries, data)
        if all(form.is_valid() for form in rows):
            try:
                result = _save_grid(request, sheet, rows)
            except services.SheetChanged as changed:
                conflict, sheet = changed.changes, changed.sheet
                entries = list(
                    sheet.entries.select_related("member").order_by("member__name", "member_id")
                )
            else:
                if result:
                    return result
        else:
            messages.error(request, _("Some cells are not valid; they are marked below."))
    rows = entry_forms(entries, data, disabled=not can_write)
    community = evaluations_for([e.member_id for e in entries], sheet.year)
    for form in rows:  # conduct outside working hours, as the community saw it
        form.community = community.get(form.instance.member_id)
    if conflict is not None:
        messages.warning(
            request,
            _("Someone else saved this sheet while you were editing. Nothing of yours was "
              "saved: check the changes below, then save again."),
        )  # fmt: skip
    return render(
        request,
        "appraisals/sheet_edit.html",
        {
            "sheet": sheet,
            "rows": rows,
            "can_write": can_write,
            "can_decide": access.decides_for(request.user, sheet.organization),
            "version": sheet.version,
            "seen": seen_json({e.pk: services.entry_values(e) for e in entries}),
            "should_vote": services.should_vote(services.entry_values(e) for e in entries),
            "conflict": conflict,
            "problems": services.submission_problems(sheet, entries)
            if sheet.status == SheetStatus.SUBMITTED
            else [],
            "unqualified": _unqualified(sheet),
            "can_dispose": sheet.status == SheetStatus.APPROVED and writes,
            "history": sheet_history(sheet),
        },
    )


def _unqualified(sheet: Sheet) -> list[Entry]:
    if sheet.status != SheetStatus.APPROVED:
        return []
    return list(
        sheet.entries.filter(grade=Grade.UNQUALIFIED)
        .select_related("member")
        .prefetch_related("dispositions")
    )


def _save_grid(request: HttpRequest, sheet: Sheet, rows) -> HttpResponse | None:
    """Save the grid, then submit if asked. None: refused, show the user's values again."""
    version = int(request.POST.get("version", "-1") or -1)
    values = {form.instance.pk: form.values() for form in rows}
    voters = request.POST.get("voters", "").strip()
    if voters and not voters.isdigit():
        messages.error(request, _("Members who voted: write a whole number."))
        return None
    try:
        saved = services.sheet_save(
            sheet=sheet, rows=values, version=version,
            seen=parse_seen(request.POST.get("seen", "")), by=request.user,
            voters=int(voters) if voters else None,
        )  # fmt: skip
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect("appraisals:sheet_edit", pk=sheet.pk)
    try:
        services.sheet_submit(sheet=saved, by=request.user)
        messages.success(request, _("Sheet submitted to the superior."))
    except ValidationError as exc:
        messages.warning(request, _("Draft saved, but not submitted:"))
        for message in exc.messages:
            messages.error(request, message)
    return redirect("appraisals:sheet_edit", pk=sheet.pk)


@login_required
@require_POST
def sheet_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The superior approves, returns or reopens a sheet."""
    sheet = _sheet(request, pk)
    if not access.decides_for(request.user, sheet.organization):
        raise PermissionDenied
    approve = "approve" in request.POST
    try:
        if approve:
            services.sheet_approve(sheet=sheet, by=request.user)
            messages.success(request, _("Sheet approved."))
        else:
            reason = request.POST.get("reason", "")
            services.sheet_return(sheet=sheet, by=request.user, reason=reason)
            messages.success(request, _("Sheet returned to the branch."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.record(request, Action.APPROVAL, obj=sheet, summary=sheet.organization.name,
                     organization_id=sheet.organization_id,
                     decision="approved" if approve else "returned")  # fmt: skip
    return redirect("appraisals:sheet_edit", pk=sheet.pk)


@login_required
def sheet_template(request: HttpRequest, pk: int) -> FileResponse:
    sheet = _sheet(request, pk)
    audit.record(
        request, Action.EXPORT, obj=sheet, summary=_("appraisal sheet"),
        organization_id=sheet.organization_id, rows=sheet.entries.count(),
    )  # fmt: skip
    filename = f"appraisal-{sheet.year}-{sheet.organization.code}.xlsx"
    return workbook_response(lambda stream: write_sheet_template(stream, sheet), filename)


@login_required
@require_POST
def sheet_import(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk, write=True)
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an Excel file."))
        return redirect("appraisals:sheet_edit", pk=sheet.pk)
    result = import_sheet(file=form.cleaned_data["file"], sheet=sheet, by=request.user)
    if result.ok:
        messages.success(request, _("%(n)s rows imported.") % {"n": result.created})
        return redirect("appraisals:sheet_edit", pk=sheet.pk)
    return render(
        request,
        "appraisals/sheet_import_errors.html",
        {"sheet": sheet, "result": result},
        status=400,
    )


def _entry(request: HttpRequest, pk: int, *, write: bool = False) -> Entry:
    return access.get_for_user(
        Entry.objects.select_related("member", "sheet__campaign", "sheet__organization"),
        request.user, via="sheet__organization", write=write, pk=pk,
    )  # fmt: skip


@login_required
def disposition_new(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, write=True)
    form = DispositionForm(request.POST or None, probationary=entry.probationary)
    if request.method == "POST" and form.is_valid():
        try:
            services.disposition_record(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Disposition recorded."))
            return redirect("appraisals:sheet_edit", pk=entry.sheet_id)
    title = _("Disposition for %(name)s") % {"name": entry.member.name}
    return form_page(request, form, title=title)


def _disposition(request: HttpRequest, pk: int) -> Disposition:
    return access.get_for_user(
        Disposition.objects.select_related("entry__sheet__organization", "entry__member"),
        request.user, via="entry__sheet__organization", write=True, pk=pk,
    )  # fmt: skip


@login_required
@require_POST
def disposition_decide(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = _disposition(request, pk)
    if not access.decides_for(request.user, disposition.entry.sheet.organization):
        raise PermissionDenied
    approve = "approve" in request.POST
    try:
        if approve:
            services.disposition_approve(disposition=disposition, by=request.user)
            messages.success(request, _("Disposition approved."))
        else:
            services.disposition_return(
                disposition=disposition, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Disposition returned to the branch."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.record(request, Action.APPROVAL, obj=disposition,
                     summary=disposition.get_kind_display(),
                     organization_id=disposition.entry.sheet.organization_id,
                     decision="approved" if approve else "returned")  # fmt: skip
    return redirect("appraisals:sheet_edit", pk=disposition.entry.sheet_id)


@login_required
def disposition_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = _disposition(request, pk)
    form = ConcludeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disposition_conclude(disposition=disposition, by=request.user,
                                          **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("appraisals:sheet_edit", pk=disposition.entry.sheet_id)
    title = _("Outcome of the rectification of %(name)s") % {"name": disposition.entry.member}
    return form_page(request, form, title=title)
