"""Exact ratios from integer counts, as the statistics print them."""

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int, places: int = 1) -> Decimal | None:
    """part/whole as a percentage rounded half up: percent(80, 263) == Decimal("30.4")."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
