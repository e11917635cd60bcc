"""Required against held, for every branch, kind and period of a year.

A kind is due once in each period of its frequency (rules page), periods aligned to the
calendar: monthly kinds each month, quarterly kinds each quarter, yearly ones each year. A
period counts once it has ended by the day; one still running counts only if held already
(so a month in progress is never red). Committee meetings are required of a branch only in
the periods it holds a committee; group meetings of each group in the periods it exists.

One query for the held meetings of all the branches, one for their groups, one for their
committees: the cost does not grow with the number of meetings.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from organizations.models import (
    BRANCH_KINDS,
    Organization,
    OrganizationClosure,
    Policy,
    Position,
)
from partybuild.statistics import snapshot_counts

from .models import COMMITTEE_FROM, Kind, Meeting, PartyGroup

# The kinds a branch must hold, with the rules' field giving their frequency in months.
REQUIRED = {
    Kind.MEMBER_MEETING: "member_meeting_months",
    Kind.COMMITTEE_MEETING: "committee_meeting_months",
    Kind.GROUP_MEETING: "group_meeting_months",
    Kind.PARTY_LESSON: "party_lesson_months",
    Kind.THEME_DAY: "theme_day_months",
    Kind.LIFE_MEETING: "life_meeting_months",
}
# Short names for the matrix's cells.
SHORT = {
    Kind.MEMBER_MEETING: "大", Kind.COMMITTEE_MEETING: "委", Kind.GROUP_MEETING: "组",
    Kind.PARTY_LESSON: "课", Kind.THEME_DAY: "日", Kind.LIFE_MEETING: "生",
}  # fmt: skip

HELD, MISSED, RUNNING = "held", "missed", "running"


@dataclass(frozen=True)
class Period:
    first_month: int
    last_month: int

    def start(self, year: int) -> datetime.date:
        return datetime.date(year, self.first_month, 1)

    def end(self, year: int) -> datetime.date:
        if self.last_month == 12:
            return datetime.date(year, 12, 31)
        return datetime.date(year, self.last_month + 1, 1) - datetime.timedelta(days=1)


@lru_cache(maxsize=8)
def periods(months: int) -> tuple[Period, ...]:
    return tuple(Period(first, first + months - 1) for first in range(1, 13, months))


@dataclass(frozen=True)
class Cell:
    """One kind (of one group, for group meetings) in one period: held, missed or running."""

    kind: str
    period: Period
    state: str
    group: str = ""

    @property
    def short(self) -> str:
        return SHORT[self.kind]


@dataclass
class Compliance:
    """Cells (a branch's) and their tally by month; sums of many branches keep only the
    tally, so adding up 14,000 branches costs 14,000 small additions."""

    cells: list[Cell] = field(default_factory=list)
    held_by_month: list[int] = field(default_factory=lambda: [0] * 13)
    required_by_month: list[int] = field(default_factory=lambda: [0] * 13)

    def __post_init__(self):
        for cell in self.cells:
            month = cell.period.last_month
            self.held_by_month[month] += cell.state == HELD
            self.required_by_month[month] += cell.state != RUNNING

    @property
    def required(self) -> int:
        return sum(self.required_by_month)

    @property
    def held(self) -> int:
        return sum(self.held_by_month)

    @property
    def rate(self):
        from partybuild.numbers import percent

        return percent(self.held, self.required)

    def by_month(self) -> dict[int, list[Cell]]:
        """The cells in the column of the month their period ends."""
        months: dict[int, list[Cell]] = defaultdict(list)
        for cell in self.cells:
            months[cell.period.last_month].append(cell)
        return months

    def add(self, other: "Compliance") -> "Compliance":
        """Add another's tally to this one (the cells stay the branch's own)."""
        for month in range(13):
            self.held_by_month[month] += other.held_by_month[month]
            self.required_by_month[month] += other.required_by_month[month]
        return self


def branch_compliance(
    branches: list[Organization], year: int, day: datetime.date, policy: Policy | None = None
) -> dict[int, Compliance]:
    """Each branch's cells for the year, up to the day (periods starting later are left
    out)."""
    policy = policy or Policy.current()
    ids = [b.pk for b in branches]
    frequencies = {kind: getattr(policy, setting) for kind, setting in REQUIRED.items()}
    held = _held(ids, year, frequencies)
    groups = _groups(ids, year)
    committees = _committee_months(ids, year)
    result = {}
    for branch in branches:
        cells = []
        for kind, months in frequencies.items():
            for period in periods(months):
                if period.start(year) > day:
                    continue
                for group_id, group_name in _subjects(kind, branch, period, year, groups,
                                                      committees):  # fmt: skip
                    done = (kind, group_id, period.first_month) in held[branch.pk]
                    ended = period.end(year) < day
                    state = HELD if done else (MISSED if ended else RUNNING)
                    cells.append(Cell(kind, period, state, group_name))
        result[branch.pk] = Compliance(cells)
    return result


def _subjects(kind, branch, period, year, groups, committees):
    """What must hold the kind in the period: the branch once, each group of the branch
    existing then, or the branch if it held a committee in any month of the period."""
    if kind == Kind.GROUP_MEETING:
        return [
            (g.pk, g.name) for g in groups.get(branch.pk, [])
            if g.started_on <= period.end(year) and (g.ended_on is None
                                                     or g.ended_on > period.start(year))
        ]  # fmt: skip
    if kind == Kind.COMMITTEE_MEETING:
        months = range(period.first_month, period.last_month + 1)
        if not any(m in committees.get(branch.pk, set()) for m in months):
            return []
    return [(None, "")]


def _held(ids: list[int], year: int, frequencies: dict[str, int]) -> dict[int, set]:
    """(kind, group, first month of the kind's period) held by each branch."""
    rows = (
        Meeting.objects.filter(organization_id__in=ids, held=True, on__year=year)
        .annotate(month=ExtractMonth("on"))
        .values_list("organization_id", "kind", "group_id", "month")
        .distinct()
    )
    held: dict[int, set] = defaultdict(set)
    for org_id, kind, group_id, month in rows:
        months = frequencies.get(kind)
        if months:
            held[org_id].add((kind, group_id, (month - 1) // months * months + 1))
    return held


def _groups(ids: list[int], year: int) -> dict[int, list[PartyGroup]]:
    found = PartyGroup.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=datetime.date(year, 1, 1)),
        organization_id__in=ids, started_on__lte=datetime.date(year, 12, 31),
    ).order_by("name")  # fmt: skip
    groups: dict[int, list[PartyGroup]] = defaultdict(list)
    for group in found:
        groups[group.organization_id].append(group)
    return groups


def _committee_months(ids: list[int], year: int) -> dict[int, set[int]]:
    """The months (by their first day) in which each branch held a committee."""
    posts = Position.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=datetime.date(year, 1, 1)),
        organization_id__in=ids, started_on__lte=datetime.date(year, 12, 31),
    ).values_list("organization_id", "started_on", "ended_on")  # fmt: skip
    spans: dict[int, list] = defaultdict(list)
    for org_id, start, end in posts:
        spans[org_id].append((start, end))
    result: dict[int, set[int]] = {}
    for org_id, held in spans.items():
        months = set()
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            holders = sum(start <= first and (end is None or end > first) for start, end in held)
            if holders >= COMMITTEE_FROM:
                months.add(month)
        result[org_id] = months
    return result


@dataclass
class MatrixRow:
    organization: Organization
    compliance: Compliance

    @property
    def is_branch(self) -> bool:
        return self.organization.is_branch

    def months(self) -> list[tuple[int, list[Cell], int, int]]:
        """(month, cells ending that month, held, required) for January to December."""
        by_month, c = self.compliance.by_month(), self.compliance
        return [(m, by_month.get(m, []), c.held_by_month[m], c.required_by_month[m])
                for m in range(1, 13)]  # fmt: skip


MONTH_COLUMNS = [f"mtg_{kind}_m{m:02d}" for kind in ("req", "held") for m in range(1, 13)]


def matrix_rows(organization: Organization, year: int, day: datetime.date, user):
    """A row per child organization in the user's scope (or the branch itself), and the
    organization's total: (rows, total row, as of). Branch rows are computed live, cell by
    cell; a committee's row is the sum over its subtree, read from the statistics snapshot
    of the year (as of its date) when there is one, else summed live."""
    from organizations import access

    active = Organization.objects.filter(status="active")
    if organization.is_branch:
        compliance = branch_compliance([organization], year, day)[organization.pk]
        row = MatrixRow(organization, compliance)
        return [row], row, None
    children = list(access.scoped(active.filter(parent=organization), user, via="self")
                    .order_by("code"))  # fmt: skip
    snapshot = snapshot_counts([organization.pk, *(c.pk for c in children)], day, MONTH_COLUMNS)
    if snapshot is None:
        rows, total = _live_rows(organization, children, year, day, user)
        return rows, total, None
    as_of, counts = snapshot
    live = branch_compliance([c for c in children if c.is_branch], year, day)
    rows = [MatrixRow(c, live[c.pk] if c.pk in live else _from_counts(counts.get(c.pk, {})))
            for c in children]  # fmt: skip
    return rows, MatrixRow(organization, _from_counts(counts.get(organization.pk, {}))), as_of


def _from_counts(counts: dict[str, int]) -> Compliance:
    compliance = Compliance()
    for m in range(1, 13):
        compliance.required_by_month[m] = counts.get(f"mtg_req_m{m:02d}", 0)
        compliance.held_by_month[m] = counts.get(f"mtg_held_m{m:02d}", 0)
    return compliance


def _live_rows(organization, children, year, day, user):
    from organizations import access

    branches = list(
        access.scoped(Organization.objects.filter(status="active"), user, via="self").filter(
            ancestor_links__ancestor=organization, kind__in=BRANCH_KINDS
        )
    )
    by_branch = branch_compliance(branches, year, day)
    under = OrganizationClosure.objects.filter(
        ancestor__in=children, descendant_id__in=list(by_branch)
    ).values_list("ancestor_id", "descendant_id")
    sums: dict[int, Compliance] = defaultdict(Compliance)
    for child_id, branch_id in under:
        sums[child_id].add(by_branch[branch_id])
    total = Compliance()
    for compliance in by_branch.values():
        total.add(compliance)
    rows = [MatrixRow(c, by_branch[c.pk] if c.pk in by_branch else sums[c.pk]) for c in children]
    return rows, MatrixRow(organization, total)


def meetings_by_kind(ids: list[int], year: int) -> dict[int, dict[str, int]]:
    rows = (
        Meeting.objects.filter(organization_id__in=ids, held=True, on__year=year)
        .values("organization_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["organization_id"]][row["kind"]] = row["n"]
    return result
