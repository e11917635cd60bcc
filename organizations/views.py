"""Tree, organization pages and positions. Every lookup goes through organizations.access."""

import datetime
from dataclasses import dataclass
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members.models import Member
from partybuild.forms import add_service_errors, form_page
from partybuild.links import url_with_pk
from reminders import services as reminders

from . import access, services
from .forms import DissolveForm, OrganizationForm, PolicyForm, PositionEndForm, PositionForm
from .health import health_of
from .models import (
    BRANCH_KINDS,
    Kind,
    Organization,
    OrganizationClosure,
    Policy,
    Position,
    Status,
)


def _organization(request: HttpRequest, pk: int, *, write: bool = False) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", write=write, pk=pk)


def _organization_for_tree_change(request: HttpRequest, pk: int) -> Organization:
    org = _organization(request, pk, write=True)
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    return org


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roots = list(access.scope_roots(request.user))
    if len(roots) == 1 and roots[0].is_branch:
        return redirect("organizations:organization_detail", pk=roots[0].pk)
    return redirect("organizations:tree")


@dataclass
class TreeRow:
    """One organization of the tree or of a children table, everything it shows made."""

    org: Organization
    health: object
    children: int
    due: tuple[int, int]
    detail_url: str
    children_url: str
    reminders_url: str
    kind_label: str

    @property
    def flags(self) -> list[tuple[str, str, str]]:
        """(badge class, value, label) of each health flag."""
        return [("text-bg-danger" if f.severe else "text-bg-warning", f.value, str(f.label))
                for f in self.health.flags]  # fmt: skip

    @property
    def due_label(self) -> str:
        return ngettext("%(n)s due", "%(n)s due", self.due[0]) % {"n": self.due[0]}

    @property
    def overdue_label(self) -> str:
        return ngettext("%(n)s overdue", "%(n)s overdue", self.due[1]) % {"n": self.due[1]}

    def due_html(self) -> str:
        """The due and overdue badges linking to the reminders (escaped, safe)."""
        if not self.due[0]:
            return ""
        overdue = (
            f' <span class="badge text-bg-danger">{escape(self.overdue_label)}</span>'
            if self.due[1]
            else ""
        )
        return mark_safe(
            f'<a class="text-decoration-none" href="{escape(self.reminders_url)}" '
            f'data-testid="due-count" title="{escape(_("Due and overdue"))}">'
            f'<span class="badge text-bg-warning">{escape(self.due_label)}</span>{overdue}</a>'
        )

    def flags_html(self) -> str:
        badges = (
            f'<span class="badge flag-badge {css} me-1" data-flag="{value}">{escape(label)}</span>'
            for css, value, label in self.flags
        )
        return mark_safe("".join(badges))

    def _toggle_html(self) -> str:
        if not self.children:
            return '<span class="tree-toggle d-inline-block"></span>'
        return (
            '<button type="button" class="btn btn-sm btn-link p-0 tree-toggle" '
            f'aria-expanded="false" data-url="{escape(self.children_url)}" '
            f'aria-label="{escape(_("Expand"))}">▸</button>'
        )

    def tree_html(self, level: int) -> str:
        """The row of the tree, made here rather than by the template engine, every text
        escaped: the tree opens the working committee's 400 children at once, and the
        template engine spent 150 of the page's 240 ms on them."""
        return mark_safe(
            f'<tr class="tree-row" data-id="{self.org.pk}" data-level="{level}">'
            f'<td class="indent-{level}">{self._toggle_html()} '
            f'<a href="{escape(self.detail_url)}">{escape(self.org.name)}</a></td>'
            f'<td class="d-none d-md-table-cell">{escape(self.kind_label)}</td>'
            f'<td class="text-end" data-testid="member-count">{self.health.counts.members}</td>'
            f'<td class="text-end d-none d-sm-table-cell">{self.children}</td>'
            f'<td class="text-end">{self.due_html()}</td>'
            f'<td class="d-none d-lg-table-cell">{self.flags_html()}</td></tr>'
        )


def _rows(
    organizations: list[Organization], health: dict | None = None, due: dict | None = None
) -> list[TreeRow]:
    """Tree or table rows with subtree counts, flags, reminders and child counts in 6 queries,
    their links and labels made here: the tree opens 400 of them at once."""
    health = health or health_of(organizations)
    if due is None:
        due = reminders.counts_by_organization(organizations, timezone.localdate())
    child_counts = dict(
        Organization.objects.filter(
            parent_id__any_of={o.pk for o in organizations}, status=Status.ACTIVE
        )
        .values("parent")
        .annotate(n=Count("id"))
        .values_list("parent", "n")
    )
    detail = url_with_pk("organizations:organization_detail")
    children = url_with_pk("organizations:tree_children")
    reminders_url = reverse("reminders:list")
    kinds = dict(Kind.choices)
    return [
        TreeRow(
            org=o,
            health=health[o.pk],
            children=child_counts.get(o.pk, 0),
            due=due.get(o.pk, (0, 0)),
            detail_url=detail(o.pk),
            children_url=children(o.pk),
            reminders_url=f"{reminders_url}?organization={o.pk}",
            kind_label=kinds[o.kind],
        )
        for o in organizations
    ]


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = list(access.scope_roots(request.user))
    rows = [row.tree_html(0) for row in _rows(roots)]
    return render(request, "organizations/tree.html", {"rows": rows})


@login_required
def tree_children(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk)
    children = list(org.children.filter(status=Status.ACTIVE).in_tree_order())
    level = org.depth + 1 - _root_depth(request)
    rows = [row.tree_html(level) for row in _rows(children)]
    return render(request, "organizations/_tree_rows.html", {"rows": rows})


def _root_depth(request: HttpRequest) -> int:
    root = access.scope_roots(request.user).first()
    return root.depth if root else 0


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk)
    children_page = Paginator(
        org.children.in_tree_order().order_by("status", "kind_rank", "code"), 50
    ).get_page(request.GET.get("page"))
    children = list(children_page)
    health = health_of([org, *children])
    today = timezone.localdate()
    due = reminders.counts_by_organization([org, *children], today)
    positions = (
        Position.objects.current()
        .filter(organization=org)
        .select_related("member")
        .order_by("post")
    )
    direct_members = Member.objects.current().filter(organization=org).order_by("name")[:50]
    can_write = access.writable_organizations(request.user).filter(pk=org.pk).exists()
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "org": org,
            "health": health[org.pk],
            "child_rows": _rows(children, health, due),
            "due": due.get(org.pk, (0, 0)),
            "due_list": reminders.in_scope(request.user, today, org)[:10],
            "children_page": children_page,
            "positions": positions,
            "direct_members": direct_members,
            "direct_member_count": Member.objects.current().filter(organization=org).count(),
            "can_write": can_write,
            "can_manage": can_write and access.can_manage_tree(request.user),
            "is_scope_root": org in access.scope_roots(request.user),
        },
    )


def _parent_choices(request: HttpRequest, org: Organization | None):
    parents = access.writable_organizations(request.user).exclude(
        kind__in=["branch", "joint_branch"]
    )
    if org is not None:
        subtree = OrganizationClosure.objects.filter(ancestor=org).values("descendant")
        parents = parents.exclude(pk__in=subtree)
    return parents


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_tree(request.user):
        raise PermissionDenied
    initial = {}
    parent_id = request.GET.get("parent")
    if parent_id and parent_id.isdigit():
        initial["parent"] = _organization(request, int(parent_id), write=True)
    form = OrganizationForm(
        request.POST or None,
        initial=initial,
        parents=_parent_choices(request, None),
        parent_required=not request.user.is_superuser,
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(organization=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organization created."))
            return redirect("organizations:organization_detail", pk=org.pk)
    return form_page(request, form, title=_("New organization"))


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_for_tree_change(request, pk)
    is_root = org in access.scope_roots(request.user)
    form = OrganizationForm(
        request.POST or None,
        instance=org,
        parents=None if is_root else _parent_choices(request, org),
        parent_required=not request.user.is_superuser,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                organization=form.save(commit=False), fields=form.changed_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organization saved."))
            return redirect("organizations:organization_detail", pk=org.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": org.name},
        back_url=reverse("organizations:organization_detail", args=[org.pk]),
    )


@login_required
def organization_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_for_tree_change(request, pk)
    if org in access.scope_roots(request.user):
        raise PermissionDenied
    form = DissolveForm(request.POST or None, initial={"on": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_dissolve(organization=org, on=form.cleaned_data["on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organization dissolved."))
            return redirect("organizations:organization_detail", pk=org.pk)
    return form_page(
        request,
        form,
        title=_("Dissolve %(name)s") % {"name": org.name},
        back_url=reverse("organizations:organization_detail", args=[org.pk]),
    )


@login_required
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk, write=True)
    candidates = Member.objects.party_members().filter(organization__ancestor_links__ancestor=org)
    form = PositionForm(
        request.POST or None,
        members=candidates,
        initial={"started_on": datetime.date.today()},
    )
    if request.method == "POST" and form.is_valid():
        position = form.save(commit=False)
        position.organization = org
        try:
            services.position_assign(position=position)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Post assigned."))
            return redirect("organizations:organization_detail", pk=org.pk)
    return form_page(
        request,
        form,
        title=_("Assign a post in %(name)s") % {"name": org.name},
        back_url=reverse("organizations:organization_detail", args=[org.pk]),
    )


@login_required
@require_POST
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(
        access.scoped(Position.objects, request.user, write=True), pk=pk, ended_on__isnull=True
    )
    form = PositionEndForm(request.POST)
    if form.is_valid():
        try:
            services.position_end(position=position, on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Term of office ended."))
    else:
        messages.error(request, _("Give a valid end date."))
    return redirect("organizations:organization_detail", pk=position.organization_id)


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    """The configurable rules; working-committee staff (top of the tree) and superusers."""
    if not access.keeps_the_rules(request.user):
        raise PermissionDenied
    form = PolicyForm(request.POST or None, instance=Policy.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Rules saved."))
        return redirect("organizations:policy_edit")
    return form_page(request, form, title=_("Rules"))


PICKER_RESULTS = 20


@login_required
def organization_lookup(request: HttpRequest) -> JsonResponse:
    """The picker's matches: organizations in the user's scope (that they may change, with
    write=1; anywhere in the system for a transfer letter's receiver, with destinations=1;
    committees and general branches only, with committees=1) whose name holds the query or
    whose code starts with it, each with its path below the top of the tree."""
    query = request.GET.get("q", "").strip()[:60]
    write = request.GET.get("write") == "1"
    if request.GET.get("destinations") == "1":  # the receiver of a transfer letter
        found = access.transfer_destinations(request.user)
    else:
        found = access.scoped(Organization.objects.active(), request.user, via="self",
                              write=write)  # fmt: skip
    if request.GET.get("committees") == "1":
        found = found.exclude(kind__in=BRANCH_KINDS)
    if query:
        found = found.filter(Q(name__contains=query) | Q(code__istartswith=query))
    results = list(found.order_by("depth", "code").values("pk", "code", "name")[:PICKER_RESULTS])
    above: dict[int, list[str]] = {}
    for descendant, name in (
        OrganizationClosure.objects.filter(
            descendant_id__in=[r["pk"] for r in results], depth__gt=0,
            ancestor__parent__isnull=False,
        ).order_by("descendant_id", "-depth").values_list("descendant_id", "ancestor__name")
    ):  # fmt: skip
        above.setdefault(descendant, []).append(name)
    return JsonResponse({"results": [
        {"value": r["code"], "text": r["name"],
         "path": " › ".join([*above.get(r["pk"], []), r["name"]])}
        for r in results
    ]})  # fmt: skip


@login_required
def organization_search(request: HttpRequest) -> HttpResponse:
    """Find an organization in scope by name or code."""
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        results = (
            access.scoped(Organization.objects, request.user, via="self")
            .filter(Q(name__contains=query) | Q(code__istartswith=query))
            .order_by("code")[:50]
        )
    return render(
        request, "organizations/organization_search.html", {"q": query, "results": results}
    )
