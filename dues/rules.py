"""What a member owes a month, from the rules page (domain.md section 4). Money is Decimal,
rounded to the fen as the rules say; a band includes its upper bound."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Policy

FEN = Decimal("0.01")


class Category(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    RETIRED = "retired", _("retired")
    STUDENT = "student", _("student")
    UNEMPLOYED = "unemployed", _("unemployed")
    RELIEF = "relief", _("relief recipient")
    FARMER = "farmer", _("farmer")
    OTHER = "other", _("other")


# Categories whose amount is a share of a base: after-tax monthly pay, or the pension.
WITH_BASE = frozenset({Category.EMPLOYED, Category.RETIRED})
FLAT = frozenset({Category.STUDENT, Category.UNEMPLOYED, Category.RELIEF})


def rate_for(category: str, base: Decimal, policy: Policy) -> Decimal:
    """The percentage of the base the band asks (each band includes its upper bound)."""
    if category == Category.EMPLOYED:
        bands = [
            (policy.dues_employed_band1_to, policy.dues_employed_band1_rate),
            (policy.dues_employed_band2_to, policy.dues_employed_band2_rate),
            (policy.dues_employed_band3_to, policy.dues_employed_band3_rate),
        ]
        above = policy.dues_employed_above_rate
    elif category == Category.RETIRED:
        bands = [(policy.dues_retired_band1_to, policy.dues_retired_band1_rate)]
        above = policy.dues_retired_above_rate
    else:
        raise ValueError(f"{category} has no base")
    return next((rate for upper, rate in bands if base <= upper), above)


def rule_amount(category: str, base: Decimal | None, policy: Policy) -> Decimal | None:
    """The monthly amount the rules ask, to the fen; None where the rules set none ("other":
    the branch decides the amount)."""
    if category in WITH_BASE:
        if base is None:
            return None
        exact = base * rate_for(category, base, policy) / 100
        rounding = ROUND_HALF_UP if policy.dues_rounding == "half_up" else ROUND_DOWN
        return exact.quantize(FEN, rounding=rounding)
    if category in FLAT:
        return policy.dues_flat_amount
    if category == Category.FARMER:
        return policy.dues_farmer_amount
    return None
