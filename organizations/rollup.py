"""Sums of subtrees from each organization's own counts, added up in Python.

A page that shows hundreds of organizations (a working committee's 400 children) with the
counts of their subtrees first counts per organization in the database, one cheap grouping,
then adds those counts up the closure table here: grouping the rows by ancestor in the
database joins every row to every ancestor asked for (tens of milliseconds a query at
320,000 members, more for each column).
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
