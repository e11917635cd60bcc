"""The per-organization counts of party members (OrganizationTally) and their upkeep."""

from collections import Counter

from django.db import transaction
from django.db.models import Count, F, Q

from .choices import Status
from .models import Member, OrganizationTally

_COLUMN = {Status.FULL: "full", Status.PROBATIONARY: "probationary"}


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


def live_counts() -> dict[int, tuple[int, int]]:
    """(full, probationary) by organization, counted from the member rows themselves."""
    rows = (
        Member.objects.party_members()
        .values("organization_id")
        .annotate(
            full=Count("id", filter=Q(status=Status.FULL)),
            probationary=Count("id", filter=Q(status=Status.PROBATIONARY)),
        )
        .order_by()
    )
    return {r["organization_id"]: (r["full"], r["probationary"]) for r in rows}


@transaction.atomic
def tally_rebuild() -> int:
    """Recompute every count from the registry; returns how many organizations hold members."""
    from organizations.models import Organization

    counts = live_counts()
    OrganizationTally.objects.all().delete()
    tallies = []
    for pk in Organization.objects.values_list("pk", flat=True):
        full, probationary = counts.get(pk, (0, 0))
        tallies.append(OrganizationTally(organization_id=pk, full=full, probationary=probationary))
    OrganizationTally.objects.bulk_create(tallies, batch_size=5000)
    return len(counts)
