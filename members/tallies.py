"""The per-organization counts of party members (OrganizationTally) and their upkeep."""

from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from partybuild.lookups import any_of_sql

from .choices import Status
from .models import Member, OrganizationTally

# The statuses counted, and their column.
_COLUMN = {
    Status.FULL: "full", Status.PROBATIONARY: "probationary",
    Status.APPLICANT: "applicant", Status.ACTIVIST: "activist", Status.TARGET: "target",
}  # fmt: skip
TALLIED = list(_COLUMN)
COLUMNS = [_COLUMN[s] for s in TALLIED]


def tally_add(*, organization_id: int, status: str, delta: int) -> None:
    """Add `delta` people of `status` to an organization's count; other statuses are not counted."""
    column = _COLUMN.get(status)
    if column is None or delta == 0:
        return
    updated = OrganizationTally.objects.filter(organization_id=organization_id).update(
        **{column: F(column) + delta}
    )
    if not updated:
        with transaction.atomic():
            OrganizationTally.objects.get_or_create(organization_id=organization_id)
        OrganizationTally.objects.filter(organization_id=organization_id).update(
            **{column: F(column) + delta}
        )


def tally_add_many(pairs: list[tuple[int, str]]) -> None:
    """Count many (organization id, status) arrivals with one update per organization and status."""
    for (organization_id, status), n in Counter(pairs).items():
        tally_add(organization_id=organization_id, status=status, delta=n)


def live_counts() -> dict[int, tuple[int, ...]]:
    """Counts by organization (in the order of TALLIED), from the member rows themselves."""
    rows = (
        Member.objects.filter(status__in=TALLIED)
        .values("organization_id")
        .annotate(**{_COLUMN[s]: Count("id", filter=Q(status=s)) for s in TALLIED})
        .order_by()
    )
    return {r["organization_id"]: tuple(r[c] for c in COLUMNS) for r in rows}


def kept_counts() -> dict[int, tuple[int, ...]]:
    """The kept counts of the organizations holding anyone, as live_counts gives them."""
    return {
        row[0]: tuple(row[1:])
        for row in OrganizationTally.objects.values_list("organization_id", *COLUMNS)
        if any(row[1:])
    }


@transaction.atomic
def tally_rebuild() -> int:
    """Recompute every count from the registry; returns how many organizations hold anyone."""
    from organizations.models import Organization

    counts = live_counts()
    OrganizationTally.objects.all().delete()
    zeros = (0,) * len(TALLIED)
    tallies = [
        OrganizationTally(organization_id=pk, **dict(zip(
            COLUMNS, counts.get(pk, zeros), strict=True
        )))
        for pk in Organization.objects.values_list("pk", flat=True)
    ]  # fmt: skip
    OrganizationTally.objects.bulk_create(tallies, batch_size=5000)
    return len(counts)


def own_tallies(organization_id: int) -> dict[str, int]:
    """The organization's own kept counts, by status."""
    row = OrganizationTally.objects.filter(organization_id=organization_id).values_list(*COLUMNS)
    counts = row.first() or (0,) * len(TALLIED)
    return {str(s): int(n) for s, n in zip(TALLIED, counts, strict=True)}


def subtree_tallies(ancestor_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each of the organizations: everyone counted in its subtree, by status, summed
    from the kept counts over the closure table (one row per organization below). In SQL of
    its own: the ORM joins the organizations between the closure and the counts (a third
    of the time of the whole city's 400 children)."""
    result = {pk: dict.fromkeys(map(str, TALLIED), 0) for pk in ancestor_ids}
    if not ancestor_ids:
        return result
    sums = ", ".join(f"SUM(t.{connection.ops.quote_name(column)})" for column in COLUMNS)
    where, params = any_of_sql("c.ancestor_id", [int(pk) for pk in ancestor_ids], connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.ancestor_id, {sums} FROM organizations_organizationclosure c "
            f"JOIN {OrganizationTally._meta.db_table} t ON t.organization_id = c.descendant_id "
            f"WHERE {where} GROUP BY c.ancestor_id",
            params,
        )
        for pk, *counts in cursor:
            result[pk] = {str(s): int(n or 0) for s, n in zip(TALLIED, counts, strict=True)}
    return result


def counted_in(organizations) -> int:
    """Everyone counted (in any tallied status) in the organizations (a queryset)."""
    totals = OrganizationTally.objects.filter(organization__in=organizations).aggregate(
        **{column: Sum(column) for column in COLUMNS}
    )
    return sum(int(n or 0) for n in totals.values())
