"""Exact ratios from integer counts, as the statistics print them."""

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int, places: int = 1) -> Decimal | None:
    """part/whole as a percentage rounded half up: percent(80, 263) == Decimal("30.4")."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shares_adding_to_100(counts: list[int], places: int = 2) -> list[Decimal | None]:
    """Percentages of a whole split into parts, rounded so that they add up to exactly 100.

    Largest remainder: every share is its exact value rounded down to `places`, and the
    units still missing go to the largest remainders. Each share is then off by less than
    one unit of the last place, the same bound as rounding each share on its own, which can
    leave the sum at 99.99 or 100.01.
    """
    whole = sum(counts)
    if not whole:
        return [None] * len(counts)
    unit = 10**places
    exact = [Decimal(c) * 100 * unit / whole for c in counts]
    floors = [int(x) for x in exact]
    missing = 100 * unit - sum(floors)
    by_remainder = sorted(
        range(len(counts)), key=lambda i: (exact[i] - floors[i], -i), reverse=True
    )
    for i in by_remainder[:missing]:
        floors[i] += 1
    return [(Decimal(f) / unit).quantize(Decimal(1).scaleb(-places)) for f in floors]


def amount_formatter():
    """A function Decimal -> text with two decimals, grouped as the active language groups
    (floatformat:"2g" gives the same), for tables of hundreds of rows: the filter looks the
    language's formats up again for every number."""
    from django.utils.formats import get_format

    separator = get_format("THOUSAND_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING")
    decimal = get_format("DECIMAL_SEPARATOR")

    def format_amount(value) -> str:
        value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        sign, digits = ("-", f"{-value:.2f}") if value < 0 else ("", f"{abs(value):.2f}")
        whole, cents = digits.split(".")
        if separator and grouping:
            groups = []
            while len(whole) > grouping:
                groups.insert(0, whole[-grouping:])
                whole = whole[:-grouping]
            whole = separator.join([whole, *groups])
        return f"{sign}{whole}{decimal}{cents}"

    return format_amount
