"""Organizational life pages: a branch's meetings and party groups, a meeting's attendance
and sign-in sheet, the compliance matrix of a subtree.

Every lookup goes through organizations.access: meetings and groups by their organization.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.forms import RosterImportForm
from members.models import Member
from organizations import access
from organizations.models import Organization
from partybuild.files import send_file, workbook_response
from partybuild.forms import add_service_errors, form_page
from partybuild.imports import import_page
from partybuild.paging import page_of

from . import importer, services, tasks
from .compliance import REQUIRED, SHORT, matrix_rows
from .forms import FileForm, GroupForm, JoinForm, MarkForm, MeetingForm
from .models import Kind, Meeting, MeetingFile, PartyGroup


def _organization(request, pk: int, *, write: bool = False) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", pk=pk,
                               write=write)  # fmt: skip


def _meeting(request, pk: int, *, write: bool = False) -> Meeting:
    return access.get_for_user(
        Meeting.objects.select_related("organization", "group"), request.user, pk=pk,
        write=write,
    )  # fmt: skip


@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The meetings of an organization's subtree, newest first, with the branch's groups."""
    org = _organization(request, pk)
    meetings = access.in_subtree(Meeting.objects, request.user, org)
    page = page_of(
        meetings.order_by("-on", "-id"), request.GET.get("page"),
        load=lambda rows: rows.select_related("organization", "group"),
    )  # fmt: skip
    can_write = access.writable_organizations(request.user).filter(pk=org.pk).exists()
    return render(request, "meetings/meeting_list.html", {
        "organization": org, "page": page, "can_write": can_write and org.is_branch,
        "groups": org.party_groups.filter(ended_on__isnull=True) if org.is_branch else [],
    })  # fmt: skip


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk, write=True)
    if not org.is_branch:
        raise Http404
    form = MeetingForm(request.POST or None, organization=org, initial=_asked(request))
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.organization = org
        try:
            services.meeting_create(meeting=meeting, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting recorded: now mark who came."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return form_page(request, form, title=_("Record a meeting"))


def _asked(request: HttpRequest) -> dict:
    """The form's start: today, and the kind (and group) a reminder links with."""
    initial = {"on": timezone.localdate()}
    if request.GET.get("kind") in Kind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("group", "").isdigit():
        initial["group"] = int(request.GET["group"])
    return initial


def _marks(meeting: Meeting, data=None, *, disabled: bool = False) -> list[tuple]:
    rows = list(meeting.attendance.select_related("member").order_by("member__name_pinyin",
                                                                      "member_id"))  # fmt: skip
    forms = []
    for row in rows:
        form = MarkForm(data, prefix=f"a{row.pk}", name=row.member.name,
                        initial={"state": row.state, "reason": row.reason,
                                 "excluded": row.excluded})  # fmt: skip
        if disabled:
            for field in form.fields.values():
                field.disabled = True
        forms.append((row, form))
    return forms


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting, its attendance grid (saving it marks the meeting held) and its files."""
    meeting = _meeting(request, pk)
    can_write = access.writable_organizations(request.user).filter(
        pk=meeting.organization_id
    ).exists()  # fmt: skip
    rows = _marks(meeting, request.POST if request.method == "POST" else None,
                  disabled=not can_write)  # fmt: skip
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if all(form.is_valid() for _row, form in rows):
            marks = {row.pk: services.Mark(form.cleaned_data["state"],
                                           form.cleaned_data["reason"].strip(),
                                           form.cleaned_data["excluded"])
                     for row, form in rows}  # fmt: skip
            try:
                services.attendance_save(meeting=meeting, marks=marks, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
    meeting.refresh_from_db()
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "rows": rows, "can_write": can_write,
        "quorum": services.quorum(meeting) if meeting.decides else None,
        "files": meeting.files.all(), "file_form": FileForm(),
    })  # fmt: skip


@login_required
def meeting_signin(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (签到表) of a planned meeting, or the record of a held one."""
    meeting = _meeting(request, pk)
    rows = meeting.attendance.select_related("member").order_by("member__name_pinyin",
                                                                "member_id")  # fmt: skip
    return render(request, "meetings/signin.html", {"meeting": meeting, "rows": rows})


@login_required
@require_POST
def meeting_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, write=True)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        MeetingFile.objects.create(meeting=meeting, file=upload, name=upload.name[:200])
        messages.success(request, _("File added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
def meeting_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's file, for those who may read the meeting only."""
    item = access.get_for_user(MeetingFile.objects.select_related("meeting"), request.user,
                               via="meeting__organization", pk=pk)  # fmt: skip
    return send_file(item.file, item.name)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who comes: each member's attendance this year, lowest first, and those absent
    without leave for six months running."""
    org = _organization(request, pk)
    if not org.is_branch:
        raise Http404
    today = timezone.localdate()
    return render(request, "meetings/attendance.html", {
        "organization": org, "year": today.year,
        "people": services.attendance_by_member(org, datetime.date(today.year, 1, 1), today),
        "absent": services.absent_without_leave(org, today),
    })  # fmt: skip


@login_required
def meeting_import_page(request: HttpRequest) -> HttpResponse:
    """Historical meetings from a spreadsheet: all lines or none."""
    if not access.writable_organizations(request.user).exists():
        raise PermissionDenied
    form = RosterImportForm(request.POST or None, request.FILES or None,
                            label=_("meetings file (.xlsx)"))  # fmt: skip
    return import_page(
        request, form, kind="meeting_import", run=importer.import_as, task=tasks.meeting_import,
        template="meetings/import.html", done=_("%(count)s meetings imported."),
        next_url=reverse("meetings:meeting_import"),
    )  # fmt: skip


@login_required
def meeting_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(importer.write_template, "meetings-template.xlsx")


# -- party groups ----------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch's party groups with their members; the secretary keeps them here."""
    org = _organization(request, pk)
    if not org.is_branch:
        raise Http404
    can_write = access.writable_organizations(request.user).filter(pk=org.pk).exists()
    form = GroupForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.group_create(organization=org, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Party group set up."))
                return redirect("meetings:group_list", pk=org.pk)
    today = timezone.localdate()
    groups = [(g, list(services.group_members(g, today).order_by("name_pinyin")))
              for g in org.party_groups.filter(ended_on__isnull=True)]  # fmt: skip
    members = Member.objects.filter(organization=org).party_members().order_by("name_pinyin")
    return render(request, "meetings/group_list.html", {
        "organization": org, "groups": groups, "form": form, "can_write": can_write,
        "join_form": JoinForm(members=members, initial={"on": today}),
    })  # fmt: skip


@login_required
@require_POST
def group_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A member joins (or, with leave=1, leaves) the group."""
    group = access.get_for_user(PartyGroup.objects.select_related("organization"),
                                request.user, pk=pk, write=True)  # fmt: skip
    members = Member.objects.filter(organization=group.organization)
    form = JoinForm(request.POST, members=members)
    if form.is_valid():
        change = services.group_leave if request.POST.get("leave") else services.group_join
        try:
            change(group=group, member=form.cleaned_data["member"], on=form.cleaned_data["on"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Party group changed."))
    else:
        messages.error(request, _("Choose a member and a date."))
    return redirect("meetings:group_list", pk=group.organization_id)


# -- compliance ------------------------------------------------------------------------------


@login_required
def matrix(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Required against held for the organization's children (or its own branch), month by
    month, with a rate per organization and for the subtree."""
    if pk is None:
        root = access.scope_roots(request.user).first()
        if root is None:
            raise Http404
        return redirect("meetings:matrix_of", pk=root.pk)
    org = _organization(request, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= today.year:
        raise Http404
    day = today if year == today.year else datetime.date(year, 12, 31)
    rows, total, as_of = matrix_rows(org, year, day, request.user)
    up = access.scoped(Organization.objects.filter(pk=org.parent_id), request.user, via="self")
    return render(request, "meetings/matrix.html", {
        "organization": org, "rows": rows, "total": total, "year": year, "as_of": as_of,
        "years": range(today.year, today.year - 5, -1), "months": range(1, 13),
        "legend": [(SHORT[k], Kind(k).label) for k in REQUIRED],
        "up": up.first() if org.parent_id else None,
    })  # fmt: skip
