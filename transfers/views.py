"""Transfer letters and floating members.

A letter is seen by the organizations that send and receive it (and those above them),
through organizations.access: the receiving side reads the letter's payload, never the
member's record, until it confirms receipt. Who may act:
- the sender (its secretary or committee staff) issues, prints, withdraws, and records the
  return slip of a letter out of the system;
- the approving committee's staff approve a letter leaving its subtree (transfers.services);
- the receiver's secretary or staff confirm receipt or refuse the letter.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.models import IdNumberDisclosure, Member
from organizations import access
from organizations.models import Organization
from partybuild import audit
from partybuild.forms import DecisionForm, add_service_errors, form_page, service_form_page
from partybuild.models import Action

from . import services
from .forms import (
    ContactForm,
    DayForm,
    FloatingForm,
    IncomingForm,
    IssueForm,
    ReasonForm,
)
from .models import Floating, Kind, Letter, State
from .statistics import away_on

PAGE_SIZE = 50


def _organization(request, pk: int) -> Organization:
    return access.get_for_user(Organization.objects, request.user, via="self", pk=pk)


def _member(request, pk: int, *, write: bool = False) -> Member:
    return access.get_for_user(Member.objects.select_related("organization"), request.user,
                               pk=pk, write=write)  # fmt: skip


def _letter(request, pk: int) -> Letter:
    letters = access.scoped_either(Letter.objects.select_related("sender", "receiver", "member"),
                                   request.user, "sender", "receiver")  # fmt: skip
    try:
        return letters.get(pk=pk)
    except Letter.DoesNotExist:
        raise Http404 from None


def _writes(request, organization_id: int | None) -> bool:
    return organization_id is not None and (
        access.writable_organizations(request.user).filter(pk=organization_id).exists()
    )


def _may(request, letter: Letter) -> dict[str, bool]:
    """What the user may do with the letter now."""
    sender, receiver = _writes(request, letter.sender_id), _writes(request, letter.receiver_id)
    issued = letter.state == State.ISSUED
    within = letter.kind == Kind.WITHIN
    return {
        "approve": letter.state == State.AWAITING_APPROVAL and letter.approver_id is not None
        and access.decides_for(request.user, letter.approver),
        "receive": issued and (receiver if within else sender),
        "refuse": issued and within and receiver,
        "withdraw": letter.is_open and sender,
        "print": letter.kind != Kind.IN and letter.state in (State.ISSUED, State.RECEIVED)
        and sender,
    }  # fmt: skip


def _subtree(org: Organization):
    return Organization.objects.subtree_of(org.pk).values("pk")


# -- lists -------------------------------------------------------------------------------------

SHOWS = {
    "open": lambda qs, today: qs.open(),
    "overdue": lambda qs, today: qs.overdue_on(today),
    "all": lambda qs, today: qs,
}


@login_required
def letters(request: HttpRequest, pk: int) -> HttpResponse:
    """The letters the organization's subtree sends and receives (or waits to approve)."""
    org = _organization(request, pk)
    today = timezone.localdate()
    show = request.GET.get("show") if request.GET.get("show") in SHOWS else "open"
    direction = request.GET.get("direction", "")
    subtree = _subtree(org)
    by_direction = {
        "out": Q(sender__in=subtree),
        "in": Q(receiver__in=subtree),
    }.get(direction, Q(sender__in=subtree) | Q(receiver__in=subtree))
    found = SHOWS[show](Letter.objects.filter(by_direction), today)
    page = Paginator(found.select_related("sender", "receiver").order_by("-issued_on", "-id"),
                     PAGE_SIZE).get_page(request.GET.get("page"))  # fmt: skip
    return render(request, "transfers/letters.html", {
        "organization": org, "page": page, "show": show, "direction": direction,
        "today": today, "can_write": _writes(request, org.pk),
    })  # fmt: skip


@login_required
def floating_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the subtree away now (or, with ?all=1, every record)."""
    org = _organization(request, pk)
    today = timezone.localdate()
    records = Floating.objects.filter(member__organization__in=_subtree(org))
    show_all = request.GET.get("all") == "1"
    if not show_all:
        records = records.filter(pk__in=away_on(today).values("pk"))
    records = records.select_related("member", "member__organization").order_by(
        "member__organization__code", "member__name_pinyin", "-since"
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "transfers/floating_list.html", {
        "organization": org, "page": page, "show_all": show_all, "today": today,
    })  # fmt: skip


# -- one member --------------------------------------------------------------------------------


@login_required
def member_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's letters and stays away, with the forms to start either."""
    member = _member(request, pk)
    can_write = _writes(request, member.organization_id)
    visible = access.visible_organizations(request.user).values("pk")
    return render(request, "transfers/member.html", {
        "member": member, "can_write": can_write,
        "letters": member.transfer_letters.filter(Q(sender__in=visible) | Q(receiver__in=visible))
        .select_related("sender", "receiver"),
        "floating": member.floating_records.prefetch_related("contacts"),
    })  # fmt: skip


@login_required
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, write=True)

    def issue(data: dict) -> Letter:
        letter = services.letter_issue(
            member=member, receiver=data["receiver"], receiver_name=data["receiver_name"],
            issued_on=data["issued_on"], handler=data["handler"],
            handler_phone=data["handler_phone"], reason=data["reason"], note=data["note"],
            by=request.user,
        )  # fmt: skip
        messages.success(request, _("Letter %(number)s written.") % {"number": letter.number})
        return letter

    return service_form_page(
        request, IssueForm(request.POST or None, user=request.user), issue,
        title=_("Transfer letter for %(name)s") % {"name": member.name},
        done=_letter_url, back_url=member_url(member),
    )  # fmt: skip


def member_url(member: Member) -> str:
    return reverse("transfers:member", args=[member.pk])


@login_required
def incoming_new(request: HttpRequest) -> HttpResponse:
    """Register a member arriving from outside the system with their letter."""
    writable = access.writable_organizations(request.user)
    if not writable.exists():
        raise PermissionDenied
    form = IncomingForm(request.POST or None, organizations=writable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = form.save(commit=False)
        member.status = data["status"]
        try:
            letter = services.letter_register(
                member=member, received_on=data["since"], incoming_number=data["incoming_number"],
                sender_name=data["sender_name"], issued_on=data["issued_on"],
                paid_up_to_month=data["paid_up_to"], reason=data["reason"], note=data["note"],
                by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s registered from letter %(number)s.")
                             % {"name": member.name, "number": letter.number})  # fmt: skip
            return redirect("members:member_detail", pk=member.pk)
    return form_page(request, form, title=_("Register a member from an incoming letter"))


# -- one letter --------------------------------------------------------------------------------


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    item = _letter(request, pk)
    may = _may(request, item)
    return render(request, "transfers/letter.html", {
        "letter": item, "may": may, "today": timezone.localdate(),
        "member_visible": access.scoped(Member.objects, request.user)
        .filter(pk=item.member_id).exists(),
        "receive_label": _receive_label(item),
    })  # fmt: skip


def _receive_label(letter: Letter) -> str:
    if letter.kind == Kind.OUT:
        return _("Record the return slip")
    return _("Confirm receipt")


def _act(request, pk: int, action: str) -> Letter:
    """The letter, when the user may do `action` with it now: 404 out of sight, 403 else."""
    item = _letter(request, pk)
    if not _may(request, item)[action]:
        raise PermissionDenied
    return item


@login_required
@require_POST
def letter_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter in its three parts, with the full ID number: logged as a disclosure."""
    item = _act(request, pk, "print")
    IdNumberDisclosure.objects.create(user=request.user, member=item.member,
                                      purpose="transfer letter")  # fmt: skip
    audit.record(request, Action.ID_REVEALED, obj=item, summary=f"{item.number} {item.name}",
                 organization_id=item.sender_id)  # fmt: skip
    return render(request, "transfers/letter_print.html", {"letter": item})


@login_required
def letter_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _act(request, pk, "approve")
    form = DecisionForm(request.POST or None, no_label=gettext_lazy("do not approve"),
                        reason_label=gettext_lazy("reason (when not approved)"))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["approve"]:
                services.letter_approve(letter=item, by=request.user)
            else:
                services.letter_not_approve(letter=item, reason=form.cleaned_data["reason"],
                                            by=request.user)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit.record(request, Action.APPROVAL, obj=item, organization_id=item.approver_id,
                         summary=f"{item.number} {item.name}",
                         approved=form.cleaned_data["approve"])  # fmt: skip
            return redirect("transfers:letter", pk=item.pk)
    return form_page(request, form, title=_("Approve letter %(number)s") % {
        "number": item.number}, back_url=_letter_url(item))  # fmt: skip


def _letter_url(item: Letter) -> str:
    return reverse("transfers:letter", args=[item.pk])


@login_required
def letter_receive(request: HttpRequest, pk: int) -> HttpResponse:
    item = _act(request, pk, "receive")
    label = _("date of receipt") if item.kind == Kind.WITHIN else _("date on the return slip")

    def receive(data: dict) -> Letter:
        services.letter_receive(letter=item, on=data["on"], by=request.user)
        messages.success(request, _("Letter %(number)s received: the registry follows.")
                         % {"number": item.number})  # fmt: skip
        return item

    return service_form_page(
        request, DayForm(request.POST or None, label=label, submit=_receive_label(item)),
        receive, title=f"{_receive_label(item)} · {item.number}", done=_letter_url,
        back_url=_letter_url(item),
    )  # fmt: skip


def _reason_view(request, pk: int, action: str, service, title: str):
    item = _act(request, pk, action)
    return service_form_page(
        request, ReasonForm(request.POST or None, submit=title),
        lambda data: service(letter=item, reason=data["reason"], by=request.user),
        title=f"{title} · {item.number}", done=_letter_url, back_url=_letter_url(item),
    )  # fmt: skip


@login_required
def letter_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_view(request, pk, "refuse", services.letter_refuse, _("Refuse the letter"))


@login_required
def letter_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_view(request, pk, "withdraw", services.letter_withdraw,
                        _("Withdraw the letter"))  # fmt: skip


# -- floating members --------------------------------------------------------------------------


@login_required
def floating_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, write=True)
    return service_form_page(
        request, FloatingForm(request.POST or None),
        lambda data: services.floating_start(member=member, by=request.user, **data),
        title=_("%(name)s is away (floating member)") % {"name": member.name},
        done=_floating_url, back_url=member_url(member),
    )  # fmt: skip


def _floating_url(record: Floating) -> str:
    return reverse("transfers:floating", args=[record.pk])


def _floating(request, pk: int, *, write: bool = False) -> Floating:
    return access.get_for_user(Floating.objects.select_related("member", "member__organization"),
                               request.user, via="member__organization", pk=pk,
                               write=write)  # fmt: skip


@login_required
def floating(request: HttpRequest, pk: int) -> HttpResponse:
    """A stay away: where, the contacts recorded, and (for the branch) a new contact."""
    record = _floating(request, pk)
    can_write = _writes(request, record.member.organization_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.floating_contact(floating=record, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("transfers:floating", pk=record.pk)
    return render(request, "transfers/floating.html", {
        "record": record, "contacts": record.contacts.all(), "form": form,
        "can_write": can_write,
    })  # fmt: skip


@login_required
def floating_return(request: HttpRequest, pk: int) -> HttpResponse:
    record = _floating(request, pk, write=True)
    return service_form_page(
        request, DayForm(request.POST or None, label=_("returned on"),
                         submit=_("Record the return")),
        lambda data: services.floating_return(floating=record, on=data["on"], by=request.user),
        title=_("%(name)s is back") % {"name": record.member.name}, done=_floating_url,
        back_url=member_url(record.member),
    )  # fmt: skip
