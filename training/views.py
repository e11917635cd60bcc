"""Training classes of a subtree, their participants and completion, the development steps a
completed class fills, and members' study hours of the year against the rules. Lookups go
through organizations.access: classes by their organizer, members by their organization."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.choices import PARTY_MEMBER_STATUSES
from members.models import Member
from organizations import access
from organizations.models import Organization, Policy
from partybuild.dates import year_asked
from partybuild.forms import service_form_page

from . import services
from .forms import ClassForm, CompleteForm
from .models import TrainingClass

PAGE_SIZE = 50
PEOPLE_SHOWN = 500  # a class of the whole city is entered by its branches


def _organization(request, pk: int, *, write: bool = False) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", pk=pk,
                               write=write)  # fmt: skip


def _training(request, pk: int, *, write: bool = False) -> TrainingClass:
    return access.get_for_user(TrainingClass.objects.select_related("organizer"), request.user,
                               via="organizer", pk=pk, write=write)  # fmt: skip


def _year(request) -> int:
    return year_asked(request.GET.get("year"), timezone.localdate().year)


@login_required
def classes(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk)
    year = _year(request)
    found = TrainingClass.objects.filter(
        organizer__in=Organization.objects.subtree_of(org.pk).values("pk"), ends_on__year=year
    ).select_related("organizer")
    page = Paginator(found.order_by("-starts_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page"))  # fmt: skip
    return render(request, "training/classes.html", {
        "organization": org, "page": page, "year": year, "query": f"year={year}",
        "can_write": access.writable_organizations(request.user).filter(pk=org.pk).exists(),
    })  # fmt: skip


@login_required
def class_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk, write=True)

    def create(data: dict) -> TrainingClass:
        return services.class_create(training=TrainingClass(organizer=org, **data),
                                     by=request.user)  # fmt: skip

    return service_form_page(
        request, ClassForm(request.POST or None), create,
        title=_("Training class of %(name)s") % {"name": org.name},
        done=lambda training: reverse("training:training", args=[training.pk]),
        back_url=reverse("training:classes", args=[org.pk]),
    )  # fmt: skip


@login_required
def training(request: HttpRequest, pk: int) -> HttpResponse:
    """The class and its participants: tick who takes part (and who completed), save."""
    item = _training(request, pk)
    can_write = access.writable_organizations(request.user).filter(pk=item.organizer_id).exists()
    eligible = services.eligible_members(item)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        chosen = [int(v) for v in request.POST.getlist("member") if v.isdigit()]
        done = {int(v) for v in request.POST.getlist("completed") if v.isdigit()}
        members = list(Member.objects.filter(pk__in=chosen))
        try:
            services.participants_set(training=item, members=members, completed=done)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("training:training", pk=item.pk)
    taking_part = {p.member_id: p for p in item.participants.all()}
    people = eligible.select_related("organization").order_by("organization_id", "name_pinyin")
    return render(request, "training/training.html", {
        "training": item, "can_write": can_write,
        "rows": [(m, taking_part.get(m.pk)) for m in people[:PEOPLE_SHOWN]] if can_write else [],
        "participants": item.participants.select_related("member", "member__organization"),
    })  # fmt: skip


@login_required
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _training(request, pk, write=True)
    return service_form_page(
        request, CompleteForm(request.POST or None),
        lambda data: services.class_complete(training=item, on=data["on"]),
        title=_("%(title)s completed") % {"title": item.title},
        done=lambda training: reverse("training:training", args=[training.pk]),
        back_url=reverse("training:training", args=[item.pk]),
    )  # fmt: skip


@login_required
@require_POST
def steps(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the development targets' training step from the completed class."""
    item = _training(request, pk, write=True)
    try:
        filled = services.fill_steps(training=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Training step recorded for %(count)s people.")
                         % {"count": len(filled.recorded)})  # fmt: skip
        for name, reason in filled.refused:
            messages.warning(request, f"{name}: {reason}")
    return redirect("training:training", pk=item.pk)


@login_required
def hours(request: HttpRequest, pk: int) -> HttpResponse:
    """Party members of the subtree with their completed class hours of the year against the
    rules' requirement."""
    org = _organization(request, pk)
    year = _year(request)
    required = Policy.current().training_hours_required
    members = (
        Member.objects.filter(
            status__in=PARTY_MEMBER_STATUSES,
            organization__in=Organization.objects.subtree_of(org.pk).values("pk"),
        )
        .select_related("organization")
        .order_by("organization_id", "name", "pk")
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    done = services.hours_in(year, [m.pk for m in page])
    rows = [(m, done.get(m.pk, 0)) for m in page]
    return render(request, "training/hours.html", {
        "organization": org, "page": page, "rows": rows, "year": year, "required": required,
        "query": f"year={year}",
    })  # fmt: skip
