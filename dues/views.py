"""Party dues pages: a branch's monthly collection grid, its bases, the bank list, receipts
and statements, arrears and the six-month rule, the collection report and the yearly
publication list.

Every lookup goes through organizations.access: dues and payments by the branch that owns
them, members by their organization, decisions by the superior's scope.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member
from organizations import access
from organizations.models import Organization
from partybuild import audit, sheets
from partybuild.dates import year_asked
from partybuild.files import workbook_response
from partybuild.forms import add_service_errors, form_page
from partybuild.links import url_with_pk
from partybuild.models import Action
from partybuild.numbers import amount_formatter

from . import collection, services
from .arrears import arrears_of_member, standings_in
from .bases_import import bases_import
from .bases_import import write_template as write_bases_template
from .forms import (
    BankListForm,
    BasesImportForm,
    BasisForm,
    CancelForm,
    ExcuseForm,
    LapseForm,
    OpeningForm,
    PaymentForm,
    parse_month,
)
from .models import Basis, Due, Lapse, Opening, Payment
from .owing import OWING, add_months, month_of
from .publication import publication_rows, write_publication
from .report import collection_report


def _organization(request, pk: int, *, write: bool = False) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", pk=pk,
                               write=write)  # fmt: skip


def _branch(request, pk: int, *, write: bool = False) -> Organization:
    org = _organization(request, pk, write=write)
    if not org.is_branch:
        raise Http404
    return org


def _member(request, pk: int, *, write: bool = False) -> Member:
    return access.get_for_user(Member.objects.select_related("organization"), request.user,
                               pk=pk, write=write)  # fmt: skip


def _may_write(request, org: Organization) -> bool:
    return access.writable_organizations(request.user).filter(pk=org.pk).exists()


def _year(request, default: int) -> int:
    return year_asked(request.GET.get("year"), default, ahead=1)


# -- the monthly grid ------------------------------------------------------------------------


@login_required
def collect(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch's month: every member who owes for it, the amount, a tick (or an amount) to
    record payment, totals at the foot. Other organizations get the collection report."""
    org = _organization(request, pk)
    if not org.is_branch:
        return redirect("dues:collection", pk=org.pk)
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    can_write = _may_write(request, org)
    if can_write:
        collection.ensure_open(org, month)
    errors = []
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        saved, errors = _save_grid(request, org, month)
        if saved is not None:
            return redirect(f"{reverse('dues:collect', args=[org.pk])}?month={month:%Y-%m}")
    dues = collection.month_dues(org, month)
    rows = list(dues.select_related("member", "payment").order_by("member__name", "pk"))
    return render(request, "dues/collect.html", {
        "organization": org, "month": month, "rows": rows, "totals": collection.totals(dues),
        "previous": add_months(month, -1), "next": add_months(month, 1), "today": today,
        "can_write": can_write, "errors": errors, "methods": Payment._meta.get_field(
            "method").choices, "posted": request.POST,
    })  # fmt: skip


def _save_grid(request, org, month):
    """(payments saved or None when refused, errors)."""
    ticks, errors = {}, []
    for key in request.POST:
        if key.startswith("d") and key.endswith("-paid"):
            due_id = key[1:-5]
            if not due_id.isdigit():
                continue
            text = request.POST.get(f"d{due_id}-amount", "").strip()
            try:
                ticks[int(due_id)] = Decimal(text).quantize(Decimal("0.01")) if text else None
            except InvalidOperation:
                errors.append(_("'%(value)s' is not an amount in yuan.") % {"value": text})
    try:
        paid_on = datetime.date.fromisoformat(request.POST.get("paid_on", ""))
    except ValueError:
        errors.append(_("Give the date the payments were made."))
    if errors:
        return None, errors
    if not ticks:
        return None, [_("Tick the members who paid.")]
    method = request.POST.get("method") or "cash"
    count, errors = collection.grid_save(branch=org, month=month, ticks=ticks, paid_on=paid_on,
                                         method=method, by=request.user)  # fmt: skip
    if errors:
        return None, errors
    messages.success(request, _("%(count)s payments recorded.") % {"count": count})
    return count, []


# -- a member's dues -------------------------------------------------------------------------


@login_required
def member_dues(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    today = timezone.localdate()
    year = _year(request, today.year)
    dues = Due.objects.filter(member=member, month__year=year).select_related("payment")
    return render(request, "dues/member.html", {
        "member": member, "year": year, "dues": dues.order_by("month"),
        "bases": Basis.objects.filter(member=member).order_by("-starts")[:12],
        "payments": Payment.objects.filter(member=member).order_by("-paid_on", "-pk")[:24],
        "arrears": arrears_of_member(member, today),
        "lapses": Lapse.objects.filter(member=member).order_by("-pk"),
        "opening": Opening.objects.filter(member=member).first(),
        "arrived": member.records.filter(start_event="transferred_in").exists(),
        "can_write": _may_write(request, member.organization),
        "owes": member.status in OWING,
    })  # fmt: skip


def _member_form(request, pk, form_class, save, *, title: str, done: str, initial=None):
    member = _member(request, pk, write=True)
    form = form_class(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            result = save(member, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return result or redirect("dues:member", pk=member.pk)
    back = reverse("dues:member", args=[member.pk])
    return form_page(request, form, title=f"{title} · {member.name}", back_url=back)


@login_required
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(member, data):
        payment = services.payment_record(member=member, by=request.user, **data)
        return redirect("dues:receipt", pk=payment.pk)

    first = month_of(timezone.localdate())
    unpaid = Due.objects.filter(member_id=pk, paid_on__isnull=True).order_by("month").first()
    if unpaid is not None:
        first = unpaid.month
    initial = {"first_month": request.GET.get("month") or f"{first:%Y-%m}"}
    return _member_form(request, pk, PaymentForm, save, title=_("Record a payment"),
                        done=_("Payment recorded."), initial=initial)  # fmt: skip


@login_required
def basis_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(member, data):
        services.basis_set(member=member, by=request.user, **data)

    initial = {"starts": f"{timezone.localdate():%Y-%m}"}
    return _member_form(request, pk, BasisForm, save, title=_("Dues basis"),
                        done=_("Basis saved."), initial=initial)  # fmt: skip


@login_required
def opening(request: HttpRequest, pk: int) -> HttpResponse:
    """The paid-up-to month of a member who arrived by transfer (from the letter)."""

    def save(member, data):
        services.opening_set(member=member, by=request.user, **data)

    current = Opening.objects.filter(member_id=pk).first()
    initial = {"paid_up_to": f"{current.paid_up_to:%Y-%m}", "source": current.source} if (
        current) else {}  # fmt: skip
    return _member_form(request, pk, OpeningForm, save, title=_("Dues paid up to on arrival"),
                        done=_("Saved."), initial=initial)  # fmt: skip


@login_required
def excuse_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(member, data):
        services.excuse_record(member=member, by=request.user, **data)

    arrears = arrears_of_member(_member(request, pk), timezone.localdate())
    start = arrears.run_from or arrears.oldest if arrears else month_of(timezone.localdate())
    return _member_form(
        request, pk, ExcuseForm, save, title=_("Good reason for unpaid dues"),
        done=_("Reason recorded."), initial={"from_month": f"{start:%Y-%m}"},
    )  # fmt: skip


@login_required
def lapse_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(member, data):
        services.lapse_record(member=member, by=request.user, **data)

    return _member_form(request, pk, LapseForm, save,
                        title=_("Treat as having left the party"),
                        done=_("Decision sent to the superior for approval."),
                        initial={"decided_on": timezone.localdate()})  # fmt: skip


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's printable statement of the year: each month, what was owed and paid."""
    member = _member(request, pk)
    year = _year(request, timezone.localdate().year)
    dues = list(Due.objects.filter(member=member, month__year=year).select_related("payment")
                .order_by("month"))  # fmt: skip
    owed = sum((d.amount for d in dues), Decimal("0.00"))
    paid = sum((d.paid or Decimal("0.00") for d in dues), Decimal("0.00"))
    return render(request, "dues/statement.html", {
        "member": member, "year": year, "dues": dues, "owed": owed, "paid": paid,
        "unpaid": sum((d.amount for d in dues if d.paid_on is None), Decimal("0.00")),
        "printed_on": timezone.localdate(),
    })  # fmt: skip


# -- payments --------------------------------------------------------------------------------


def _payment(request, pk: int, *, write: bool = False) -> Payment:
    return access.get_for_user(Payment.objects.select_related("member", "organization"),
                               request.user, pk=pk, write=write)  # fmt: skip


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    return render(request, "dues/receipt.html", {
        "payment": payment, "dues": payment.dues.order_by("month"),
        "can_write": _may_write(request, payment.organization),
    })  # fmt: skip


@login_required
def payment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, write=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member_id, number = payment.member_id, payment.number
        with transaction.atomic():
            services.payment_cancel(payment=payment, by=request.user, **form.cleaned_data)
            audit.record(request, Action.PAYMENT_CANCELLED, summary=number,
                         organization_id=payment.organization_id,
                         reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(request, _("Payment %(number)s cancelled.") % {"number": number})
        return redirect("dues:member", pk=member_id)
    title = _("Cancel payment %(number)s") % {"number": payment.number}
    return form_page(request, form, title=title,
                     back_url=reverse("dues:receipt", args=[payment.pk]))  # fmt: skip


# -- bases -----------------------------------------------------------------------------------


@login_required
def bases(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's bases of a branch in one grid: category, base and the amount; saved from
    January of the year (a change during the year is made on the member's page, with a
    reason)."""
    org = _branch(request, pk)
    year = _year(request, timezone.localdate().year)
    can_write = _may_write(request, org)
    members = list(Member.objects.filter(organization=org, status__in=OWING).order_by("name"))
    current = _bases_in_force(members, year)
    errors: list[str] = []
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        saved, errors = _save_bases(request, members, current, year)
        if not errors:
            messages.success(request, _("%(count)s bases saved.") % {"count": saved})
            return redirect(f"{reverse('dues:bases', args=[org.pk])}?year={year}")
    from .rules import Category

    return render(request, "dues/bases.html", {
        "organization": org, "year": year, "errors": errors, "can_write": can_write,
        "rows": [(m, current.get(m.pk)) for m in members], "categories": Category.choices,
        "posted": request.POST,
    })  # fmt: skip


def _bases_in_force(members, year: int) -> dict[int, Basis]:
    """Each member's basis in force in January of the year, or their first of the year."""
    result: dict[int, Basis] = {}
    january = datetime.date(year, 1, 1)
    rows = Basis.objects.filter(member__in=members, starts__lte=datetime.date(year, 12, 1))
    for basis in rows.order_by("member_id", "starts"):
        if basis.starts <= january or basis.member_id not in result:
            result[basis.member_id] = basis
    return result


def _save_bases(request, members, current, year: int) -> tuple[int, list[str]]:
    saved, errors = 0, []
    january = datetime.date(year, 1, 1)
    with transaction.atomic():
        for member in members:
            values = _basis_values(request.POST, member.pk)
            if values is None:
                continue
            basis = current.get(member.pk)
            if basis is not None and basis.starts == january and _same(basis, values):
                continue
            try:
                with transaction.atomic():
                    services.basis_set(member=member, starts=january, by=request.user,
                                       **values)  # fmt: skip
            except (ValidationError, InvalidOperation) as exc:
                text = " ".join(getattr(exc, "messages", [str(exc)]))
                errors.append(f"{member.name}: {text}")
            else:
                saved += 1
        if errors:
            transaction.set_rollback(True)
    return saved, errors


def _basis_values(post, member_id: int) -> dict | None:
    category = post.get(f"m{member_id}-category", "")
    if not category:
        return None

    def money(name):
        text = post.get(f"m{member_id}-{name}", "").strip()
        return Decimal(text).quantize(Decimal("0.01")) if text else None

    return {"category": category, "base": money("base"), "amount": money("amount"),
            "decision": post.get(f"m{member_id}-decision", "")}  # fmt: skip


def _same(basis: Basis, values: dict) -> bool:
    amount = values["amount"] if values["amount"] is not None else basis.rule_amount
    return (basis.category, basis.base, basis.amount, basis.decision) == (
        values["category"], values["base"], amount, values["decision"].strip())  # fmt: skip


def _branch_import(request, org, form, *, kind: str, run, template: str, done: str, next_url):
    """A branch's spreadsheet import. The upload is bounded in bytes and rows before it is
    parsed (a branch's list is short: no more lines than are imported in a request). Then
    `run(file, data)` imports all lines or none, audited; a clean import goes on to
    `next_url(data)` saying `done` (with %(count)s), a refused one lists its errors by line."""
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            lines = sheets.count_lines(upload)
            if lines > settings.IMPORT_INLINE_LIMIT:  # a branch's list: checked here, at once
                raise sheets.SheetError(_("A branch's list has at most %(count)s lines.")
                                        % {"count": settings.IMPORT_INLINE_LIMIT})  # fmt: skip
        except sheets.SheetError as exc:
            result = sheets.ImportResult.refused(exc)
        else:
            result = run(upload, form.cleaned_data)
            audit.record(request, Action.IMPORT, summary=kind, lines=lines,
                         organization_id=org.pk, created=result.created,
                         errors=result.total_errors)  # fmt: skip
        if result.ok:
            messages.success(request, done % {"count": result.created})
            return redirect(next_url(form.cleaned_data))
    return render(request, template, {"organization": org, "form": form, "result": result})


@login_required
def bases_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's bases from a spreadsheet: all lines or none, errors by line."""
    org = _branch(request, pk, write=True)
    form = BasesImportForm(request.POST or None, request.FILES or None,
                           initial={"year": timezone.localdate().year})  # fmt: skip
    return _branch_import(
        request, org, form, kind="dues_bases", template="dues/bases_import.html",
        run=lambda file, data: bases_import(file=file, branch=org, year=data["year"],
                                            by=request.user),
        done=_("%(count)s bases saved."),
        next_url=lambda data: f"{reverse('dues:bases', args=[org.pk])}?year={data['year']}",
    )  # fmt: skip


@login_required
def bases_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(write_bases_template, "dues-bases.xlsx")


# -- the bank's list -------------------------------------------------------------------------


@login_required
def bank_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A month's payments from the bank's list: all lines or none, mismatches by line."""
    org = _branch(request, pk, write=True)
    form = BankListForm(request.POST or None, request.FILES or None,
                        initial={"month": f"{timezone.localdate():%Y-%m}"})  # fmt: skip
    return _branch_import(
        request, org, form, kind="dues_bank_list", template="dues/bank_import.html",
        run=lambda file, data: collection.bank_import(file=file, branch=org,
                                                      month=data["month"], by=request.user),
        done=_("%(count)s payments imported."),
        next_url=lambda data: (f"{reverse('dues:collect', args=[org.pk])}"
                               f"?month={data['month']:%Y-%m}"),
    )  # fmt: skip


@login_required
def bank_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(collection.write_bank_template, "dues-bank-list.xlsx")


# -- arrears and the six-month rule ----------------------------------------------------------


@login_required
def arrears(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the subtree with unpaid months, oldest debt first; those under the
    six-month rule first when asked (?six=1); the decisions waiting for this user."""
    org = _organization(request, pk)
    today = timezone.localdate()
    standings = standings_in(org, request.user, today)
    six = request.GET.get("six") == "1"
    summary = standings.aggregate(count=Count("pk"), total=Sum("amount"),
                                  listed=Count("pk", filter=Q(listed=True)))  # fmt: skip
    if six:
        standings = standings.filter(listed=True)
    rows = standings.select_related("member", "organization", "excuse", "lapse").order_by(
        "oldest", "member_id"
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    pending = (
        access.scoped(Lapse.objects, request.user)
        .filter(organization__ancestor_links__ancestor=org, outcome=Lapse.Outcome.PENDING)
        .select_related("member", "organization")
    )
    return render(request, "dues/arrears.html", {
        "organization": org, "page": page, "six": six, "count": summary["count"],
        "total": (summary["total"] or Decimal("0")).quantize(Decimal("0.01")),
        "listed": summary["listed"], "today": today,
        "pending": pending, "decides": access.decides_for(request.user, org),
        "can_write": _may_write(request, org),
    })  # fmt: skip


@login_required
@require_POST
def lapse_decide(request: HttpRequest, pk: int) -> HttpResponse:
    lapse = access.get_for_user(Lapse.objects.select_related("organization", "member"),
                                request.user, write=True, pk=pk)  # fmt: skip
    if not access.decides_for(request.user, lapse.organization):
        raise PermissionDenied
    approve = "approve" in request.POST
    try:
        if approve:
            services.lapse_approve(lapse=lapse, by=request.user)
            messages.success(request, _("Approved: %(name)s is removed from the roll.")
                             % {"name": lapse.member.name})  # fmt: skip
        else:
            services.lapse_return(lapse=lapse, by=request.user,
                                  reason=request.POST.get("reason", ""))  # fmt: skip
            messages.success(request, _("Decision returned to the branch."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.record(request, Action.APPROVAL, obj=lapse, summary=lapse.member.name,
                     organization_id=lapse.organization_id,
                     decision="approved" if approve else "returned")  # fmt: skip
    return redirect("dues:arrears", pk=lapse.organization.parent_id or lapse.organization_id)


# -- reports ---------------------------------------------------------------------------------


@login_required
def collection_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Owed, paid, outstanding and the collection rate per subordinate organization, for a
    month and the year so far; and the organization's months."""
    org = _organization(request, pk)
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    report = collection_report(request.user, org, month, today)
    return render(request, "dues/collection.html", {
        "organization": org, "month": month, "report": report,
        "rows": _collection_rows(report, month),
        "previous": add_months(month, -1), "next": add_months(month, 1),
    })  # fmt: skip


def _collection_rows(report, month) -> list[tuple[int, str, str, str]]:
    """(organization id, link, name, figure cells) of each line, the cells made here: a
    working committee's 400 lines of eight amounts took the template's floatformat 300 ms."""
    amount = amount_formatter()
    collect = url_with_pk("dues:collect")

    def cells(t) -> str:
        values = (amount(t.owed), amount(t.paid), amount(t.outstanding),
                  "—" if t.rate is None else f"{t.rate}%")  # fmt: skip
        return "".join(f'<td class="text-end">{v}</td>' for v in values)

    return [
        (line.organization.pk, f"{collect(line.organization.pk)}?month={month:%Y-%m}",
         line.organization.name,
         mark_safe(cells(line.month_totals) + cells(line.year)
                   + f'<td class="text-end">{int(line.arrears6)}</td>'))
        for line in report.lines
    ]  # fmt: skip


@login_required
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch's yearly publication list (党费收缴公示表), printable or in Excel."""
    org = _branch(request, pk)
    year = _year(request, timezone.localdate().year)
    rows = publication_rows(org, year)
    if request.GET.get("format") == "xlsx":
        audit.record(request, Action.EXPORT, summary="dues_publication", organization_id=org.pk,
                     year=year, rows=len(rows))  # fmt: skip
        return workbook_response(lambda stream: write_publication(stream, org, year, rows),
                                 f"dues-publication-{org.code}-{year}.xlsx")  # fmt: skip
    return render(request, "dues/publication.html", {
        "organization": org, "year": year, "rows": rows,
        "total": sum((r.paid for r in rows), Decimal("0.00")),
        "printed_on": timezone.localdate(),
    })  # fmt: skip
