"""Sums of subtrees from each organization's own counts, added up in Python.

For counts kept per organization (the reminders' own counts, kept in the cache): adding
them up the closure table here costs the closure rows of the ancestors asked for, not a
query over the rows counted. Counts made afresh are better grouped by ancestor in the
database when there are many of them (the development board's 18,500 rows were slower).
"""

from collections.abc import Iterable, Sequence

from .models import OrganizationClosure


def sum_up(
    own: dict[int, Sequence[int]], ancestors: Iterable[int], width: int
) -> dict[int, list[int]]:
    """For each ancestor (itself included): the element-wise sum of `own` over its subtree;
    `width` values each, zeros where the subtree holds nothing."""
    totals = {pk: [0] * width for pk in ancestors}
    below = OrganizationClosure.objects.filter(ancestor_id__in=list(totals)).values_list(
        "ancestor_id", "descendant_id"
    )
    for ancestor, descendant in below:
        values = own.get(descendant)
        if values:
            total = totals[ancestor]
            for i, value in enumerate(values):
                total[i] += value
    return totals
