"""Accounts and roles kept by committee staff for their subtree; one's own password; the
binding one acts in; the audit log for the working committee's staff."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations.middleware import SESSION_KEY
from organizations.models import UserRole
from partybuild.forms import add_service_errors, form_page
from partybuild.models import AuditEvent

from . import services
from .forms import AccountCreateForm, AuditFilterForm, RoleForm


def _require_staff(request: HttpRequest) -> None:
    if not access.can_manage_tree(request.user):
        raise PermissionDenied


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    bindings = UserRole.objects.select_related("organization").order_by("pk")
    accounts = (
        access.visible_accounts(request.user)
        .prefetch_related(Prefetch("party_roles", queryset=bindings))
        .order_by("username")
    )
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page})


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    organizations = access.grantable_organizations(request.user)
    form = AccountCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.account_create(
                request, username=data["username"], full_name=data["full_name"],
                organization=data["organization"], role=data["role"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _show_password(request, user, password)
    return form_page(request, form, title=_("New account"))


def _show_password(request: HttpRequest, user, password: str) -> HttpResponse:
    """The one-time password, shown this once (never stored, never sent again)."""
    return render(
        request, "accounts/one_time_password.html", {"account": user, "password": password}
    )


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    account = access.get_account(request.user, pk)
    grantable = access.grantable_organizations(request.user)
    form = RoleForm(request.POST or None, organizations=grantable, submit=_("Grant"))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(request, user=account, organization=form.cleaned_data[
                "organization"], role=form.cleaned_data["role"])  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:account_detail", pk=account.pk)
    grantable_ids = set(grantable.values_list("pk", flat=True))
    bindings = account.party_roles.select_related("organization").order_by("pk")
    events = AuditEvent.objects.filter(user=account).order_by("-at", "-id")[:20]
    return render(request, "accounts/account_detail.html", {
        "account": account, "form": form, "events": events,
        "bindings": [(b, b.organization_id in grantable_ids) for b in bindings],
        "can_manage": access.may_manage_account(request.user, account),
    })  # fmt: skip


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, binding: int) -> HttpResponse:
    _require_staff(request)
    account = access.get_account(request.user, pk)
    grantable = access.grantable_organizations(request.user)
    binding = get_object_or_404(
        UserRole, pk=binding, user=account, organization__in=grantable.values("pk")
    )
    services.role_revoke(request, binding=binding)
    messages.success(request, _("Role revoked."))
    if not access.visible_accounts(request.user).filter(pk=account.pk).exists():
        return redirect("accounts:account_list")
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    account = access.get_account(request.user, pk, manage=True)
    active = request.POST.get("active") == "1"
    services.account_set_active(request, user=account, active=active)
    messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    account = access.get_account(request.user, pk, manage=True)
    return _show_password(request, account, services.password_reset(request, user=account))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Everyone's own password; the first page after a login with a one-time password."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["must_change"] = bool(self.request.session.get(services.MUST_CHANGE))
        return context


@login_required
@require_POST
def act_as(request: HttpRequest) -> HttpResponse:
    """Switch the binding (organization and role) the user acts in."""
    wanted = request.POST.get("role", "")
    if any(str(role.pk) == wanted for role in access.user_roles(request.user)):
        request.session[SESSION_KEY] = int(wanted)  # anything else is ignored
    return redirect("home")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The trail, for the working committee's staff (and superusers) only."""
    if not access.keeps_the_rules(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.order_by("-at", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["username"]:
            events = events.filter(username__icontains=data["username"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_log.html",
                  {"form": form, "page": page, "query": query.urlencode()})  # fmt: skip
