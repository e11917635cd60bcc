"""Elections and terms: the terms list of a subtree, an election's candidates and votes
checked against the rules, submission and the superior's approval. Lookups go through
organizations.access: elections by their organization, decisions by the superior's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import access
from organizations.forms import SELECT_LIMIT
from organizations.models import Organization, Policy
from partybuild import audit
from partybuild.dates import add_months
from partybuild.forms import DecisionForm, add_service_errors, form_page, service_form_page
from partybuild.models import Action

from . import services
from .forms import ElectionForm, candidate_forms
from .models import Election, State

PAGE_SIZE = 50


def _organization(request, pk: int, *, write: bool = False) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", pk=pk,
                               write=write)  # fmt: skip


def _election(request, pk: int, *, write: bool = False) -> Election:
    return access.get_for_user(Election.objects.select_related("organization", "meeting"),
                               request.user, pk=pk, write=write)  # fmt: skip


@login_required
def terms(request: HttpRequest, pk: int) -> HttpResponse:
    """The subtree's terms ending within the rules' months or already ended, and the
    elections of the year."""
    org = _organization(request, pk)
    today = timezone.localdate()
    until = add_months(today, Policy.current().election_warning_months)
    subtree = Organization.objects.subtree_of(org.pk)
    ending = subtree.active().filter(term_ends_on__lte=until).order_by("term_ends_on", "code")
    page = Paginator(ending, PAGE_SIZE).get_page(request.GET.get("page"))
    elections = (
        Election.objects.filter(organization__in=subtree.values("pk"),
                                meeting__on__year=today.year)
        .select_related("organization", "meeting").order_by("-meeting__on", "-id")
    )  # fmt: skip
    waiting = Election.objects.filter(organization__in=subtree.values("pk"),
                                      state=State.SUBMITTED).count()  # fmt: skip
    return render(request, "elections/terms.html", {
        "organization": org, "page": page, "today": today, "elections": elections,
        "waiting": waiting, "can_write": access.writable_organizations(request.user)
        .filter(pk=org.pk).exists(),
    })  # fmt: skip


@login_required
def election_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk, write=True)
    return service_form_page(
        request, ElectionForm(request.POST or None, organization=org),
        lambda data: services.election_create(organization=org, by=request.user, **data),
        title=_("Election of %(name)s") % {"name": org.name},
        done=lambda election: reverse("elections:election", args=[election.pk]),
        back_url=reverse("elections:list", args=[org.pk]),
    )  # fmt: skip


def _initial(election: Election, by_id_number: bool) -> list[dict]:
    candidates = election.candidates.select_related("member").order_by("race", "-votes")
    return [{"race": c.race, "member": c.member.id_number if by_id_number else c.member_id,
             "votes": c.votes} for c in candidates]  # fmt: skip


@login_required
def election(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidates' grid (while being entered), the count against the rules, who is
    elected; submit; the superior's decision."""
    item = _election(request, pk)
    can_write = item.state in (State.DRAFT, State.RETURNED) and (
        access.writable_organizations(request.user).filter(pk=item.organization_id).exists()
    )
    members = services.eligible_members(item.organization)
    by_id_number = members.count() > SELECT_LIMIT
    forms = candidate_forms(request.POST if request.method == "POST" else None, members=members,
                            initial=_initial(item, by_id_number))  # fmt: skip
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if all(f.is_valid() for f in forms):
            rows = [f.row for f in forms if f.row]
            try:
                with transaction.atomic():
                    services.candidates_set(election=item, rows=rows)
                    if "submit" in request.POST:
                        services.election_submit(election=item, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("elections:election", pk=item.pk)
    return render(request, "elections/election.html", {
        "election": item, "forms": forms, "can_write": can_write,
        "count": services.count(item),
        "can_decide": item.state == State.SUBMITTED
        and access.decides_for(request.user, item.organization),
        "candidates": item.candidates.select_related("member").order_by("race", "-votes"),
    })  # fmt: skip


@login_required
def election_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _election(request, pk)
    if item.state != State.SUBMITTED or not access.decides_for(request.user, item.organization):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, no_label=gettext_lazy("return"),
                        reason_label=gettext_lazy("reason (when returned)"))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["approve"]
        try:
            if approve:
                services.election_approve(election=item, by=request.user)
            else:
                services.election_return(election=item, reason=form.cleaned_data["reason"],
                                         by=request.user)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit.record(request, Action.APPROVAL, obj=item, organization_id=item.organization_id,
                         summary=f"{item.organization.name} {item.held_on}",
                         approved=approve)  # fmt: skip
            return redirect("elections:election", pk=item.pk)
    title = _("Approve the election of %(name)s") % {"name": item.organization.name}
    return form_page(request, form, title=title,
                     back_url=reverse("elections:election", args=[item.pk]))  # fmt: skip
