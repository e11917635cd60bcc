"""Member counts per subtree and the health flags of domain.md section 1.

Everything here works on a list of organizations with a fixed number of queries, so list
pages and the tree do not grow their query count with their length.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import OrganizationTally
from members.tallies import subtree_tallies

from .models import (
    BRANCH_KINDS,
    Kind,
    Organization,
    Policy,
    Position,
    Post,
)


@dataclass
class Counts:
    members: int = 0  # full + probationary
    full: int = 0
    probationary: int = 0


class Flag(models.TextChoices):
    TOO_FEW_FULL = "too_few_full", _("fewer full members than a branch needs")
    TOO_MANY = "too_many", _("more members than a branch should have")
    TOO_SMALL_FOR_KIND = "too_small_for_kind", _("fewer members than its kind requires")
    COMMITTEE_MISSING = "committee_missing", _("a committee is required but missing")
    COMMITTEE_TOO_LARGE = "committee_too_large", _("committee larger than 7")
    SECRETARY_VACANT = "secretary_vacant", _("secretary post vacant")
    TERM_EXPIRED = "term_expired", _("term expired")
    TERM_ENDING = "term_ending", _("term ending soon")

    @property
    def severe(self) -> bool:
        return self in SEVERE


SEVERE = frozenset({Flag.TOO_FEW_FULL, Flag.SECRETARY_VACANT, Flag.TERM_EXPIRED})


def subtree_counts(org_ids: list[int]) -> dict[int, Counts]:
    """Party members in each organization's whole subtree: the kept counts of every
    descendant summed through the closure table (members.tallies.subtree_tallies)."""
    rows = subtree_tallies(org_ids)
    return _as_counts((pk, n["full"], n["probationary"]) for pk, n in rows.items())


def direct_counts(org_ids: list[int]) -> dict[int, Counts]:
    """Party members whose relationship is held by the organization itself."""
    rows = OrganizationTally.objects.filter(organization_id__any_of=set(org_ids)).values_list(
        "organization_id", "full", "probationary"
    )
    return _as_counts(rows)


def _as_counts(rows) -> dict[int, Counts]:
    result: dict[int, Counts] = defaultdict(Counts)
    for org_id, full, probationary in rows:
        full, probationary = int(full or 0), int(probationary or 0)
        result[org_id] = Counts(members=full + probationary, full=full, probationary=probationary)
    return result


@dataclass
class Health:
    counts: Counts
    flags: list[Flag] = field(default_factory=list)

    @property
    def severe(self) -> bool:
        return any(f.severe for f in self.flags)


def health_of(
    organizations: list[Organization],
    *,
    today: datetime.date | None = None,
    policy: Policy | None = None,
) -> dict[int, Health]:
    """Counts and health flags for each active organization, in three queries."""
    today = today or datetime.date.today()
    policy = policy or Policy.current()
    ids = [o.pk for o in organizations]
    subtree = subtree_counts(ids)
    direct = direct_counts(ids)
    committees, with_secretary = posts_held(ids, today)
    result = {}
    for org in organizations:
        counts = subtree[org.pk]
        health = Health(counts=counts)
        if org.is_active:
            health.flags = _flags(
                org,
                direct[org.pk] if org.kind in BRANCH_KINDS else counts,
                committee_size=committees[org.pk],
                has_secretary=org.pk in with_secretary,
                today=today,
                policy=policy,
            )
        result[org.pk] = health
    return result


def posts_held(org_ids, on: datetime.date) -> tuple[dict[int, int], set[int]]:
    """Committee size of each organization on a date, and which have a secretary: one
    query over the positions held then."""
    committee_size: dict[int, int] = defaultdict(int)
    with_secretary: set[int] = set()
    for org_id, post in (
        Position.objects.current(on)
        .filter(organization_id__any_of=set(org_ids))  # one value (partybuild.lookups)
        .values_list("organization_id", "post")
    ):
        committee_size[org_id] += 1
        if post == Post.SECRETARY:
            with_secretary.add(org_id)
    return committee_size, with_secretary


def _flags(
    org: Organization,
    counts: Counts,
    *,
    committee_size: int,
    has_secretary: bool,
    today: datetime.date,
    policy: Policy,
) -> list[Flag]:
    flags = []
    if org.kind in BRANCH_KINDS:
        if counts.full < policy.branch_min_full_members:
            flags.append(Flag.TOO_FEW_FULL)
        if counts.members > policy.branch_max_members:
            flags.append(Flag.TOO_MANY)
        committee_required = counts.full >= policy.committee_required_from
    else:
        minimum = {
            Kind.GENERAL_BRANCH: policy.general_branch_min_members,
            Kind.PARTY_COMMITTEE: policy.party_committee_min_members,
        }.get(org.kind)
        if minimum is not None and counts.members <= minimum:
            flags.append(Flag.TOO_SMALL_FOR_KIND)
        committee_required = True
    if committee_required and committee_size < 3:
        flags.append(Flag.COMMITTEE_MISSING)
    if committee_size > 7:
        flags.append(Flag.COMMITTEE_TOO_LARGE)
    if not has_secretary:
        flags.append(Flag.SECRETARY_VACANT)
    if org.term_ends_on is not None:
        if org.term_ends_on < today:
            flags.append(Flag.TERM_EXPIRED)
        elif (org.term_ends_on - today).days <= policy.term_warning_days:
            flags.append(Flag.TERM_ENDING)
    return flags
