"""Sums of subtrees from each organization's own counts, added up in Python.

For counts kept per organization (the reminders' own counts, kept in the cache): the whole
tree's sums cost one row per organization, and can be kept in the cache beside the counts
under the tree's version. Counts made afresh are better grouped by ancestor in the database
when there are many of them (the development board's 18,500 rows were slower).
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Max

from .models import Organization, OrganizationClosure


def tree_version() -> int:
    """A number that moves on whenever the tree changes shape: closure links are only ever
    added (a move deletes its links and adds new ones), and their ids are never reused."""
    return OrganizationClosure.objects.aggregate(newest=Max("id"))["newest"] or 0


def sum_up_all(own: dict[int, Sequence[int]]) -> dict[int, list[int]]:
    """For every organization whose subtree holds anything: the element-wise sum of `own`
    over its subtree, added from the deepest up along the parent links (one row per
    organization, read once; a cache can then keep the whole tree's sums)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, parent_id FROM {Organization._meta.db_table} ORDER BY depth DESC"
        )
        links = cursor.fetchall()
    totals = {pk: list(values) for pk, values in own.items()}
    for pk, parent in links:
        values = totals.get(pk)
        if values is None or parent is None:
            continue
        above = totals.get(parent)
        if above is None:
            totals[parent] = list(values)
        else:
            for i, value in enumerate(values):
                above[i] += value
    return totals
