"""Setting a member's dues basis, with the rules' checks and their reasons in plain words."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.choices import Status
from members.models import Member
from organizations.models import Policy

from .models import Basis
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
    return basis


def basis_for(member: Member, month: datetime.date) -> Basis | None:
    """The basis in force in the month."""
    return (
        Basis.objects.filter(member=member, starts__lte=month.replace(day=1))
        .order_by("-starts")
        .first()
    )
