"""Member registry pages. Every lookup goes through organizations.access."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisals.history import grade_history
from organizations import access
from partybuild import audit
from partybuild.files import workbook_response
from partybuild.forms import add_service_errors, form_page
from partybuild.imports import import_page
from partybuild.jobs import export
from partybuild.models import Action
from partybuild.paging import CountedPaginator

from . import roster, services, tallies, tasks
from .choices import CURRENT_STATUSES
from .filters import MemberFilter
from .forms import (
    LeaveForm,
    MemberCreateForm,
    MemberEditForm,
    MoveForm,
    RosterImportForm,
    StatusChangeForm,
)
from .history import arrival_in_scope, change_history
from .models import IdNumberDisclosure, Member, mask_id_number


def _member(request: HttpRequest, pk: int, *, write: bool = False) -> Member:
    return access.get_for_user(
        Member.objects.select_related("organization"), request.user, write=write, pk=pk
    )


def _filtered(request: HttpRequest, data=None) -> MemberFilter:
    return MemberFilter(
        request.GET if data is None else data,
        queryset=access.scoped(Member.objects.select_related("organization"), request.user),
        organizations=access.visible_organizations(request.user),
    )


# The member list's sortable columns; names sort by pinyin (members.pinyin).
SORTS = {
    "name": ["name_pinyin", "id"],
    "gender": ["gender", "name_pinyin", "id"],
    "birth_date": ["birth_date", "id"],
    "education": ["education", "name_pinyin", "id"],
    "status": ["status", "name_pinyin", "id"],
    "organization": ["organization__code", "name_pinyin", "id"],
}
DEFAULT_ORDER = ["organization_id", "name", "id"]  # follows an index


def _list_columns(sort: str) -> dict[str, tuple[str, str]]:
    """For each sortable column: the sort a click on its heading asks for, and its arrow."""
    columns = {}
    for key in SORTS:
        if sort == key:
            columns[key] = (f"-{key}", "▲")
        elif sort == f"-{key}":
            columns[key] = (key, "▼")
        else:
            columns[key] = (key, "")
    return columns


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    member_filter = _filtered(request)
    sort = request.GET.get("sort", "")
    order = SORTS.get(sort.lstrip("-"))
    if order is None:
        sort, order = "", DEFAULT_ORDER
    elif sort.startswith("-"):
        order = [f"-{field}" for field in order]
    rows = member_filter.qs.order_by(*order)
    kept = _kept_count(member_filter, request.user)
    paginator = Paginator(rows, 50) if kept is None else CountedPaginator(rows, 50, count=kept)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    without_org = query.copy()
    without_org.pop("organization", None)
    within_org = (
        member_filter.form.cleaned_data.get("organization") if member_filter.is_valid() else None
    )
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "query": query.urlencode(),
            "query_without_org": without_org.urlencode(),
            "sort": sort,
            "sort_query": sort_query.urlencode(),
            "columns": _list_columns(sort),
            "party_only": member_filter.party_members_only,
            "within_org": within_org,
            "can_write": access.writable_organizations(request.user).exists(),
        },
    )


def _kept_count(member_filter: MemberFilter, user) -> int | None:
    """The list's length from the organizations' kept counts, when it lists everyone in care
    in the user's scope (or a subtree of it) with no other filter; else None (counted)."""
    if not member_filter.is_valid() or set(CURRENT_STATUSES) != set(tallies.TALLIED):
        return None
    data = member_filter.form.cleaned_data
    if any(value not in (None, "") for name, value in data.items() if name != "organization"):
        return None
    organizations = access.visible_organizations(user)
    if data.get("organization"):
        organizations = organizations.filter(ancestor_links__ancestor=data["organization"])
    return tallies.counted_in(organizations)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return render(request, "members/member_detail.html", _detail_context(request, member))


def _detail_context(request: HttpRequest, member: Member, *, full_id: bool = False) -> dict:
    records = list(member.records.select_related("organization").order_by("started_on", "id"))
    visible = set(
        access.visible_organizations(request.user)
        .filter(pk__in={r.organization_id for r in records})
        .values_list("pk", flat=True)
    )
    arrival = arrival_in_scope(records, visible)
    positions = member.positions.select_related("organization").order_by("-started_on")
    changes, grades = change_history(member), grade_history(member)
    if arrival is not None:  # the history before the member came into the user's scope
        records = [r for r in records if r.started_on >= arrival.started_on]
        positions = positions.filter(organization_id__in=visible)
        changes = [c for c in changes if c.when >= arrival.recorded_at]
        grades = [g for g in grades if g.sheet.organization_id in visible]
    return {
        "member": member,
        "records": records,
        "arrival": arrival,
        "positions": positions,
        "changes": changes,
        "grades": grades,
        "can_write": access.writable_organizations(request.user)
        .filter(pk=member.organization_id)
        .exists(),
        "full_id": full_id,
    }


@login_required
@require_POST
def member_id_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID number once, and log who saw it. Only those who may change the
    person's record may see the number whole; viewers see the mask only."""
    member = _member(request, pk, write=True)
    IdNumberDisclosure.objects.create(user=request.user, member=member, purpose="member page")
    audit.record(
        request, Action.ID_REVEALED, obj=member, summary=member.name,
        organization_id=member.organization_id,
    )  # fmt: skip
    return render(
        request, "members/member_detail.html", _detail_context(request, member, full_id=True)
    )


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    writable = access.writable_organizations(request.user)
    if not writable.exists():
        raise PermissionDenied
    initial = {}
    if request.GET.get("organization", "").isdigit():
        initial["organization"] = writable.filter(pk=request.GET["organization"]).first()
    form = MemberCreateForm(request.POST or None, initial=initial, organizations=writable)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.status = form.cleaned_data["status"]
        try:
            services.member_create(
                member=member,
                since=form.cleaned_data["since"],
                event=form.cleaned_data["arrival"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Member %(name)s added.") % {"name": member.name})
            return redirect("members:member_detail", pk=member.pk)
    return form_page(request, form, title=_("New member"))


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, write=True)
    old_number = member.id_number
    form = MemberEditForm(
        request.POST or None, instance=member, scope=access.visible_organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            member = form.save(commit=False)
            fields = (set(form.changed_data) - {"new_id_number"}) | {"birth_date", "gender"}
            if member.id_number != old_number:
                fields.add("id_number")
            services.member_update(member=member, fields=sorted(fields), by=request.user)
            if "id_number" in fields:
                audit.record(
                    request, Action.ID_CHANGED, obj=member,
                    organization_id=member.organization_id,
                    summary=f"{mask_id_number(old_number)} → {member.masked_id_number}",
                )  # fmt: skip
        messages.success(request, _("Member saved."))
        return redirect("members:member_detail", pk=member.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": member.name},
        back_url=reverse("members:member_detail", args=[member.pk]),
    )


def _dated_action(request, pk, form_class, action, title, **form_kwargs) -> HttpResponse:
    member = _member(request, pk, write=True)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            action(member, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("members:member_detail", pk=member.pk)
    return form_page(
        request,
        form,
        title=title % {"name": member.name},
        back_url=reverse("members:member_detail", args=[member.pk]),
    )


@login_required
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request,
        pk,
        StatusChangeForm,
        lambda m, d: services.member_change_status(
            member=m, status=d["status"], on=d["on"], correction=d["correction"], by=request.user
        ),
        _("Change the status of %(name)s"),
    )


@login_required
def member_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request,
        pk,
        MoveForm,
        lambda m, d: services.member_move(
            member=m, organization=d["organization"], on=d["on"], by=request.user
        ),
        _("Move %(name)s to another organization"),
        organizations=access.writable_organizations(request.user),
    )


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request,
        pk,
        LeaveForm,
        lambda m, d: services.member_leave(
            member=m, status=d["status"], on=d["on"], reason=d["reason"], by=request.user
        ),
        _("Record that %(name)s left"),
    )


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(roster.write_template, "roster-template.xlsx")


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    writable = access.writable_organizations(request.user)
    if not writable.exists():
        raise PermissionDenied
    form = RosterImportForm(request.POST or None, request.FILES or None)
    return import_page(
        request, form, kind="roster_import", run=roster.import_as, task=tasks.roster_import,
        template="members/roster_import.html", done=_("%(count)s members imported."),
        next_url=reverse("members:member_list"),
    )  # fmt: skip


@login_required
@require_POST
def member_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (the filters come with the POST) as a workbook: written at once when
    small, by a worker when large; either way listed under 我的导出."""
    filters = {k: v for k, v in request.POST.items() if k not in ("page", "csrfmiddlewaretoken")}
    member_filter = _filtered(request, filters)
    if not member_filter.is_valid():
        messages.error(request, _("The filters are not valid."))
        return redirect("members:member_list")
    rows = member_filter.qs.count()
    role = access.user_role(request.user)
    scope = role.organization if role else None
    audit.record(
        request, Action.EXPORT, summary=_("roster"), rows=rows, full_id_numbers=False,
        organization_id=scope.pk if scope else None, filters=filters,
    )  # fmt: skip
    return export(
        request, task=tasks.roster_export, kind="roster_export", title=_("roster"),
        scope=scope.name if scope else "", params={"filters": filters},
        work=tasks.write_roster, later=rows > settings.ROSTER_EXPORT_INLINE_LIMIT,
    )  # fmt: skip
