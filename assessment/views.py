"""The yearly assessment: schemes of an assessing organization, their items, each assessed
organization's score sheet (its self-assessment; the staff's review), the ranking and its
Excel file. Staff of the owner keep the scheme and review; an assessed organization's own
users fill its self-assessment. Lookups go through organizations.access."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations.models import Organization
from partybuild import audit
from partybuild.files import workbook_response
from partybuild.forms import service_form_page
from partybuild.models import Action

from . import services
from .exports import write_results
from .forms import ItemForm, SchemeForm
from .models import Item, Scheme, Score


def _organization(request, pk: int) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", pk=pk)


def _scheme(request, pk: int) -> Scheme:
    return access.get_for_user(Scheme.objects.select_related("owner"), request.user,
                               via="owner", pk=pk)  # fmt: skip


def _keeps(request, scheme_or_owner) -> bool:
    """The owner's committee staff keep the scheme and review the scores."""
    owner = getattr(scheme_or_owner, "owner", scheme_or_owner)
    return access.decides_for(request.user, owner)


def _url(scheme: Scheme) -> str:
    return reverse("assessment:scheme", args=[scheme.pk])


@login_required
def schemes(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk)
    return render(request, "assessment/schemes.html", {
        "organization": org, "schemes": Scheme.objects.filter(owner=org).order_by("-year"),
        "can_keep": _keeps(request, org) and not org.is_branch,
    })  # fmt: skip


@login_required
def scheme_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization(request, pk)
    if org.is_branch or not _keeps(request, org):
        raise PermissionDenied
    form = SchemeForm(request.POST or None, initial={"year": timezone.localdate().year})
    return service_form_page(
        request, form, lambda data: services.scheme_save(scheme=Scheme(owner=org, **data),
                                                         by=request.user),
        title=_("Assessment scheme of %(name)s") % {"name": org.name}, done=_url,
        back_url=reverse("assessment:schemes", args=[org.pk]),
    )  # fmt: skip


@login_required
def scheme(request: HttpRequest, pk: int) -> HttpResponse:
    """The items (staff add them), the ranking, the links to each organization's sheet."""
    item = _scheme(request, pk)
    keeps = _keeps(request, item)
    form = ItemForm(request.POST or None)
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied
        if form.is_valid():
            Item.objects.create(scheme=item, position=item.items.count(), **form.cleaned_data)
            return redirect(_url(item))
    return render(request, "assessment/scheme.html", {
        "scheme": item, "items": item.items.all(), "results": services.results(item),
        "keeps": keeps, "form": form,
        "total_points": sum((i.max_points for i in item.items.all()), Decimal("0")),
    })  # fmt: skip


@login_required
@require_POST
def scheme_fill(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scheme(request, pk)
    if not _keeps(request, item):
        raise PermissionDenied
    today = timezone.localdate()
    day = min(today, today.replace(year=item.year, month=12, day=31))
    written = services.fill_from_figures(scheme=item, as_of=day)
    if written:
        messages.success(request, _("%(count)s scores filled from the statistics.")
                         % {"count": written})  # fmt: skip
    else:
        messages.warning(request, _("No statistics of the year to fill from yet."))
    return redirect(_url(item))


@login_required
@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scheme(request, pk)
    if not _keeps(request, item):
        raise PermissionDenied
    try:
        copy = services.scheme_copy(scheme=item, year=item.year + 1, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(item))
    return redirect(_url(copy))


@login_required
def sheet(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """One organization's score sheet: its own users fill the self-assessment, the owner's
    staff the review; items filled from the statistics are shown, not typed."""
    item = Scheme.objects.select_related("owner").filter(pk=pk).first()
    assessed = _organization(request, org)
    if item is None or not services.assessed(item).filter(pk=assessed.pk).exists():
        raise Http404
    review = _keeps(request, item)
    own = access.writable_organizations(request.user).filter(pk=assessed.pk).exists()
    if request.method == "POST":
        if not (review or own):
            raise PermissionDenied
        try:
            points = _points(request.POST)
            services.scores_save(scheme=item, organization=assessed, points=points,
                                 review=review)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("assessment:sheet", pk=item.pk, org=assessed.pk)
    scores = {s.item_id: s for s in Score.objects.filter(item__scheme=item, organization=assessed)}
    return render(request, "assessment/sheet.html", {
        "scheme": item, "organization": assessed, "review": review, "own": own,
        "rows": [(i, scores.get(i.pk)) for i in item.items.all()],
        "can_see_scheme": access.scoped(Scheme.objects, request.user, via="owner")
        .filter(pk=item.pk).exists(),
    })  # fmt: skip


def _points(post) -> dict[int, Decimal | None]:
    points = {}
    for key, value in post.items():
        if key.startswith("i") and key[1:].isdigit():
            try:
                points[int(key[1:])] = Decimal(value) if value.strip() else None
            except InvalidOperation:
                raise ValidationError(_("Points are numbers, e.g. 8.5.")) from None
    return points


@login_required
@require_POST
def export(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scheme(request, pk)
    audit.record(request, Action.EXPORT, summary="assessment", organization_id=item.owner_id,
                 scheme=item.pk)  # fmt: skip
    return workbook_response(lambda stream: write_results(stream, item),
                             f"assessment-{item.owner.code}-{item.year}.xlsx")  # fmt: skip
