"""Setting a member's dues basis, with the rules' checks and their reasons in plain words."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import Event, Status
from members.models import Member
from members.services import member_leave
from organizations.models import Policy
from partybuild.validators import refuse

from . import arrears, ledger, reminders, totals
from .models import Basis, Due, Excuse, Lapse, Opening, Payment
from .owing import add_months, month_of
from .rules import WITH_BASE, rule_amount

OWING_STATUSES = (Status.FULL, Status.PROBATIONARY)


@transaction.atomic
def basis_set(*, member: Member, starts: datetime.date, category: str,
              base: Decimal | None = None, amount: Decimal | None = None, decision: str = "",
              reason: str = "", by=None) -> Basis:  # fmt: skip
    """Set the member's basis from the month of `starts`. The amount is what the rules ask
    unless given: more is voluntary; less needs the branch's decision. A basis that is not
    the first of its year needs a reason (joining, a change of circumstances)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    starts = starts.replace(day=1)
    errors: dict[str, str] = {}
    if member.status not in OWING_STATUSES:
        errors["category"] = _("Only full and probationary members pay dues.")
    if category in WITH_BASE and base is None:
        errors["base"] = _("Give the after-tax monthly pay or the pension.")
    if category not in WITH_BASE and base is not None:
        base = None  # the category's amount does not follow a base
    asked = rule_amount(category, base, Policy.current())
    if amount is None:
        amount = asked
    if amount is None:
        errors["amount"] = _("Give the monthly amount the branch decided for this member.")
    elif asked is not None and amount < asked and not decision.strip():
        errors["decision"] = _(
            "%(amount)s is less than the %(asked)s the rules ask: record the branch's decision."
        ) % {"amount": amount, "asked": asked}
    earlier = Basis.objects.filter(member=member, starts__year=starts.year, starts__lt=starts)
    if earlier.exists() and not reason.strip():
        errors["reason"] = _("Say why the basis changes during the year.")
    if errors:
        raise ValidationError(errors)
    basis, _created = Basis.objects.update_or_create(
        member=member, starts=starts,
        defaults={"category": category, "base": base, "rule_amount": asked, "amount": amount,
                  "decision": decision.strip(), "reason": reason.strip(), "recorded_by": by},
    )  # fmt: skip
    ledger.sync(member)
    reminders.refresh(member.organization)
    return basis


def basis_for(member: Member, month: datetime.date) -> Basis | None:
    """The basis in force in the month."""
    return (
        Basis.objects.filter(member=member, starts__lte=month.replace(day=1))
        .order_by("-starts")
        .first()
    )


@transaction.atomic
def opening_set(*, member: Member, paid_up_to: datetime.date, source: str = "",
                by=None) -> Opening:  # fmt: skip
    """Dues paid up to, as the transfer letter of a member who arrived states: the member
    owes from the month after (arrears brought along are owed to the new branch)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    arrived = member.records.filter(start_event=Event.TRANSFERRED_IN).exists()
    if not arrived:
        refuse(_("Only a member who arrived by transfer has a paid-up-to month."), "paid_up_to")
    if month_of(paid_up_to) > add_months(month_of(timezone.localdate()), 12):
        refuse(_("Dues are paid at most a year ahead."), "paid_up_to")
    opening, _created = Opening.objects.update_or_create(
        member=member, defaults={"paid_up_to": month_of(paid_up_to), "source": source.strip()}
    )
    ledger.sync(member)
    reminders.refresh(member.organization)
    return opening


# -- payments --------------------------------------------------------------------------------


@transaction.atomic
def payment_record(*, member: Member, first_month: datetime.date, months: int = 1,
                   paid_on: datetime.date, amount: Decimal | None = None, method: str = "cash",
                   proxy: str = "", consent: bool = False, back_reason: str = "",
                   note: str = "", by=None, refresh: bool = True) -> Payment:  # fmt: skip
    """Record that the months from first_month on are paid. The amount is what the months
    owe unless given; more is voluntary, less is refused. Months before the month of payment
    are back payment: more than the rules allow needs the branch's reason."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    first = month_of(first_month)
    if not 1 <= months <= 12:
        refuse(_("A payment covers 1 to 12 months."), "months")
    if paid_on > timezone.localdate():
        refuse(_("The payment date cannot be in the future."), "paid_on")
    last = add_months(first, months - 1)
    touched = ledger.sync(member, through=max(last, month_of(timezone.localdate())),
                          derived=False)  # recounted once, below  # fmt: skip
    covered = Due.objects.select_for_update(of=("self",)).filter(
        member=member, month__range=(first, last)
    )
    dues = list(covered.select_related("payment").order_by("month"))
    _check_months(dues, first, months)
    policy = Policy.current()
    back = sum(1 for due in dues if due.month < month_of(paid_on))
    if back > policy.dues_back_months and not back_reason.strip():
        refuse(_("%(count)s months of back payment: more than %(limit)s needs the branch's "
                  "reason.") % {"count": back, "limit": policy.dues_back_months},
                "back_reason")  # fmt: skip
    if proxy.strip() and not consent:
        refuse(_("A payment by proxy needs the member's consent."), "consent")
    owed = sum((due.amount for due in dues), Decimal("0.00"))
    amount = owed if amount is None else amount
    if amount < owed:
        refuse(_("%(amount)s is less than the %(owed)s these months owe.")
                % {"amount": amount, "owed": owed}, "amount")  # fmt: skip
    if amount <= 0:
        refuse(_("Nothing is owed for these months."), "amount")
    payment = Payment.objects.create(
        member=member, organization_id=member.organization_id, first_month=first,
        last_month=last, months=months, amount=amount, paid_on=paid_on, method=method,
        proxy=proxy.strip(), consent=consent and bool(proxy.strip()),
        back_reason=back_reason.strip(), note=note.strip(), recorded_by=by,
    )  # fmt: skip
    extra = amount - owed  # voluntary: kept on the first month
    for due in dues:
        due.paid, due.paid_on, due.payment = due.amount + extra, paid_on, payment
        extra = Decimal("0.00")
    Due.objects.bulk_update(dues, ["paid", "paid_on", "payment"])
    totals.recount(touched | {(due.organization_id, due.month) for due in dues})
    arrears.refresh_members([member.pk])
    if refresh:
        reminders.refresh(member.organization)
    return payment


def _check_months(dues: list[Due], first: datetime.date, months: int) -> None:
    found = {due.month for due in dues}
    for month in (add_months(first, i) for i in range(months)):
        if month not in found:
            refuse(_("The member owes no dues for %(month)s (not a member then, or no "
                      "basis set).") % {"month": f"{month:%Y-%m}"}, "first_month")  # fmt: skip
    paid = [due for due in dues if due.paid_on is not None]
    if paid:
        refuse(_("%(month)s is already paid (receipt %(number)s).")
                % {"month": f"{paid[0].month:%Y-%m}", "number": paid[0].payment.number
                   if paid[0].payment else "-"}, "first_month")  # fmt: skip


@transaction.atomic
def payment_cancel(*, payment: Payment, reason: str, by=None) -> None:
    """Undo a payment recorded in error: its months are owed again. The audit log keeps
    the reason."""
    if not reason.strip():
        refuse(_("Say why the payment is cancelled."), "reason")
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    covered = Due.objects.filter(payment=payment)
    pairs = set(covered.values_list("organization_id", "month"))
    covered.update(paid=None, paid_on=None, payment=None)
    totals.recount(pairs)
    payment.delete()
    arrears.refresh_members([payment.member_id])
    reminders.refresh(payment.member.organization)


# -- the six-month rule ----------------------------------------------------------------------


@transaction.atomic
def excuse_record(*, member: Member, reason: str, from_month: datetime.date,
                  until_month: datetime.date | None = None, note: str = "",
                  by=None) -> Excuse:  # fmt: skip
    """The branch records a good reason for the unpaid months: the member is not listed
    under the six-month rule while it is in force."""
    if until_month is not None and month_of(until_month) < month_of(from_month):
        refuse(_("The reason cannot end before it begins."), "until_month")
    if not note.strip() and reason == Excuse.Reason.OTHER:
        refuse(_("Describe the reason."), "note")
    excuse = Excuse.objects.create(
        member=member, reason=reason, from_month=month_of(from_month),
        until_month=month_of(until_month) if until_month else None, note=note.strip(),
        recorded_by=by,
    )  # fmt: skip
    arrears.refresh_members([member.pk])
    reminders.refresh(member.organization)
    return excuse


@transaction.atomic
def lapse_record(*, member: Member, decided_on: datetime.date, note: str = "",
                 by=None) -> Lapse:  # fmt: skip
    """The member meeting's decision that the member is treated as having left; it waits
    for the superior's approval."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if decided_on > timezone.localdate():
        refuse(_("The decision date cannot be in the future."), "decided_on")
    standing = arrears.arrears_of_member(member, timezone.localdate())
    if standing is None or not standing.listed:
        refuse(_("Only a member listed under the six-month rule can be handled so."))
    if Lapse.objects.filter(member=member, outcome=Lapse.Outcome.PENDING).exists():
        refuse(_("A decision on this member already waits for the superior."))
    lapse = Lapse.objects.create(
        member=member, organization_id=member.organization_id, decided_on=decided_on,
        unpaid_from=standing.run_from, unpaid_months=standing.running, note=note.strip(),
        recorded_by=by,
    )  # fmt: skip
    arrears.refresh_members([member.pk])
    return lapse


@transaction.atomic
def lapse_approve(*, lapse: Lapse, by) -> Lapse:
    """The superior approves: the registry removes the member from the roll."""
    lapse = Lapse.objects.select_for_update().select_related("member").get(pk=lapse.pk)
    if lapse.outcome != Lapse.Outcome.PENDING:
        refuse(_("Only a decision waiting for the superior can be approved."))
    today = timezone.localdate()
    reason = _("Treated as having left the party: %(months)s months of dues unpaid without "
               "good reason") % {"months": lapse.unpaid_months}  # fmt: skip
    member_leave(member=lapse.member, status=Status.REMOVED, on=today, reason=reason, by=by)
    lapse.outcome, lapse.outcome_on, lapse.decided_by = Lapse.Outcome.DONE, today, by
    lapse.save()
    reminders.refresh(lapse.organization)
    return lapse


@transaction.atomic
def lapse_return(*, lapse: Lapse, reason: str, by) -> Lapse:
    if not reason.strip():
        refuse(_("Say why the decision is returned."), "reason")
    lapse = Lapse.objects.select_for_update().get(pk=lapse.pk)
    if lapse.outcome != Lapse.Outcome.PENDING:
        refuse(_("Only a decision waiting for the superior can be returned."))
    lapse.outcome, lapse.decided_by = Lapse.Outcome.RETURNED, by
    lapse.outcome_on, lapse.return_reason = timezone.localdate(), reason.strip()
    lapse.save()
    arrears.refresh_members([lapse.member_id])
    return lapse
