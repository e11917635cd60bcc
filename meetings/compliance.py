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
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, reduce

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, When
from django.db.models.functions import Cast, ExtractMonth
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def frequencies_of(policy: Policy) -> dict[str, int]:
    """Each required kind's period in months, from the rules."""
    return {kind: getattr(policy, setting) for kind, setting in REQUIRED.items()}


@dataclass
class YearFacts:
    """What decides the branches' cells in a year, loaded in three queries: the periods each
    held each kind in (up to a day), their party groups and the months they held a committee.
    """

    year: int
    frequencies: dict[str, int]
    held: dict[int, set]  # branch -> {(kind, group or None, first month of the period)}
    groups: dict[int, list[PartyGroup]]
    committees: dict[int, set[int]]

    @classmethod
    def load(cls, ids: list[int], year: int, frequencies: dict[str, int],
             until: datetime.date | None = None, only=None) -> "YearFacts":  # fmt: skip
        """`only`: the (kind, period) pairs whose meetings matter (else the whole year)."""
        held = _held(ids, year, frequencies, until, only)
        return cls(year, frequencies, held, _groups(ids, year), _committee_months(ids, year))

    def subjects(self, kind: str, branch_id: int, period: Period) -> list[tuple[int | None, str]]:
        """What must hold the kind in the period: the branch once, each group of the branch
        existing then, or the branch if it held a committee in any month of the period."""
        year = self.year
        if kind == Kind.GROUP_MEETING:
            return [
                (g.pk, g.name) for g in self.groups.get(branch_id, [])
                if g.started_on <= period.end(year) and (g.ended_on is None
                                                         or g.ended_on > period.start(year))
            ]  # fmt: skip
        if kind == Kind.COMMITTEE_MEETING:
            months = self.committees.get(branch_id, set())
            if not any(m in months for m in range(period.first_month, period.last_month + 1)):
                return []
        return [(None, "")]

    def is_held(self, branch_id: int, kind: str, group_id: int | None, period: Period) -> bool:
        return (kind, group_id, period.first_month) in self.held.get(branch_id, ())

    def requires(self, branch_id: int, kind: str, group_id: int | None, period: Period) -> bool:
        """Whether a meeting of the kind (and group) held in the period fills a cell."""
        return any(g == group_id for g, _name in self.subjects(kind, branch_id, period))


def branch_compliance(
    branches: list[Organization], year: int, day: datetime.date, policy: Policy | None = None
) -> dict[int, Compliance]:
    """Each branch's cells for the year, up to the day (periods starting later are left
    out)."""
    frequencies = frequencies_of(policy or Policy.current())
    facts = YearFacts.load([b.pk for b in branches], year, frequencies, day)
    result = {}
    for branch in branches:
        cells = []
        for kind, months in frequencies.items():
            for period in periods(months):
                if period.start(year) > day:
                    continue
                for group_id, group_name in facts.subjects(kind, branch.pk, period):
                    done = facts.is_held(branch.pk, kind, group_id, period)
                    ended = period.end(year) < day
                    state = HELD if done else (MISSED if ended else RUNNING)
                    cells.append(Cell(kind, period, state, group_name))
        result[branch.pk] = Compliance(cells)
    return result


# Kinds owed by some branches only: whether a meeting fills a cell depends on the branch.
PER_BRANCH = frozenset({Kind.COMMITTEE_MEETING, Kind.GROUP_MEETING})


def branch_tallies(
    branch_ids: list[int], year: int, day: datetime.date, policy: Policy | None = None
) -> dict[int, Compliance]:
    """The tallies of branch_compliance without its cells, for the statistics of every branch
    of the city at once (14,000 in the large dataset).

    The periods held are counted in the database: one row per branch with the periods held
    by the month they end in, for the kinds every branch owes, and for committee meetings
    apart. Committee meetings count where the branch had a
    committee in the period; group meetings, owed for each group, are checked one by one
    (far fewer). The queries take the branches as one value (partybuild.lookups.AnyOf): a
    list of 14,000 ids costs 0.1 to 0.25 s a query to prepare, send and plan.
    """
    frequencies = frequencies_of(policy or Policy.current())
    owed_by_all = [0] * 13
    for kind in frequencies.keys() - PER_BRANCH:
        for period in periods(frequencies[kind]):
            owed_by_all[period.last_month] += period.end(year) < day
    running = [m for m in range(1, 13) if Period(m, m).end(year) >= day]
    result = {pk: Compliance(required_by_month=owed_by_all.copy()) for pk in branch_ids}
    if not branch_ids:
        return result
    ids = set(branch_ids)  # a set: handed to the lookups as it is (partybuild.lookups)
    every_branch = [k for k in frequencies if k not in PER_BRANCH]
    for org_id, held in _held_by_end_month(ids, year, day, frequencies, every_branch):
        tally = result[org_id]
        for month, n in enumerate(held, start=1):
            tally.held_by_month[month] += n
        for month in running:  # held in a period still running: counts already
            tally.required_by_month[month] += held[month - 1]
    committees = [Kind.COMMITTEE_MEETING] if Kind.COMMITTEE_MEETING in frequencies else []
    committee_held = dict(_held_by_end_month(ids, year, day, frequencies, committees))
    per_branch = {k: v for k, v in frequencies.items() if k in PER_BRANCH}
    _add_per_branch(result, ids, year, day, per_branch, committee_held)
    return result


def _held_periods(ids, year, day, frequencies, kinds, only=None):
    """Distinct (branch, kind, group, month its period ends) held in the year up to the day
    (in the `only` (kind, period) pairs, if given)."""
    end_month = Case(*[When(kind=kind, then=_period_end(months))
                       for kind, months in frequencies.items()])  # fmt: skip
    in_year = {"on__gte": datetime.date(year, 1, 1), "on__lte": day}
    meetings = Meeting.objects.filter(
        organization_id__any_of=ids, held=True, kind__in=kinds, **in_year
    )
    if only is not None:
        meetings = meetings.filter(reduce(operator.or_, [
            Q(kind=kind, on__range=(p.start(year), p.end(year))) for kind, p in only
        ], Q(pk__in=[])))  # fmt: skip
    return (
        meetings.annotate(end_month=end_month)
        .values_list("organization_id", "kind", "group_id", "end_month")
        .order_by()  # no ordering columns in the DISTINCT
        .distinct()
    )


def _period_end(months: int):
    """The last month of the `months`-long period (aligned to the calendar) holding the
    meeting's month, by arithmetic: a CASE over every period's date range took 40 branches
    per meeting."""
    month = Cast(ExtractMonth("on"), IntegerField())  # EXTRACT is numeric on PostgreSQL
    return (month - 1) / months * months + months


def _held_by_end_month(ids, year, day, frequencies, kinds):
    """(branch, [periods held ending in January, ..., in December]) for the kinds, summed in
    the database over the distinct periods (a kind held twice in one period counts once).
    One query for many kinds: its grouping costs by rows times counts, so committee
    meetings, a fifth of all, are counted in a query of their own (one query for both, with
    a second dozen counts on every row, took twice as long as the two)."""
    if not kinds:
        return []
    held = _held_periods(ids, year, day, frequencies, kinds)
    sql, params = held.query.sql_with_params()
    sums = ", ".join(f"COUNT(*) FILTER (WHERE t.end_month = {m})" for m in range(1, 13))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.organization_id, {sums} FROM ({sql}) t GROUP BY t.organization_id", params
        )
        return [(org_id, list(held)) for org_id, *held in cursor.fetchall()]


@lru_cache(maxsize=256)
def _committee_periods_owed(months: frozenset[int], frequency: int) -> tuple[int, ...]:
    """The last months of the periods in which a branch held a committee in some month
    (most branches hold one all year: computed once for them)."""
    return tuple(p.last_month for p in periods(frequency)
                 if not months.isdisjoint(range(p.first_month, p.last_month + 1)))  # fmt: skip


def _add_per_branch(result: dict[int, Compliance], ids, year, day, frequencies,
                    committee_held: dict[int, list[int]]) -> None:  # fmt: skip
    """Committee and group meetings, owed where and when the branch had a committee or a
    group: the periods each branch owed and held (`committee_held`: the committee meetings'
    periods held by the month they end in)."""
    facts = YearFacts(year, frequencies, {}, _groups(ids, year), _committee_months(ids, year))
    ended = [False] + [Period(m, m).end(year) < day for m in range(1, 13)]
    held = []  # (branch, month its period ends) of each period owed and held
    committee = frequencies.get(Kind.COMMITTEE_MEETING)
    for branch_id, months in facts.committees.items() if committee else ():
        ends = _committee_periods_owed(frozenset(months), committee)
        required, counts = result[branch_id].required_by_month, committee_held.get(branch_id)
        for month in ends:
            required[month] += ended[month]
            if counts and counts[month - 1]:
                held.append((branch_id, month))
    group = frequencies.get(Kind.GROUP_MEETING)
    for branch_id in facts.groups if group else ():
        required = result[branch_id].required_by_month
        for period in periods(group):
            for _group in facts.subjects(Kind.GROUP_MEETING, branch_id, period):
                required[period.last_month] += ended[period.last_month]
    if group and facts.groups:
        for org_id, kind, group_id, month in _held_periods(ids, year, day, frequencies,
                                                           [Kind.GROUP_MEETING]):  # fmt: skip
            period = Period(month - group + 1, month)
            if facts.requires(org_id, kind, group_id, period):
                held.append((org_id, month))
    for org_id, month in held:
        tally = result[org_id]
        tally.held_by_month[month] += 1
        tally.required_by_month[month] += not ended[month]  # running, held already: counts


def _held(ids: list[int], year: int, frequencies: dict[str, int],
          until: datetime.date | None = None, only=None) -> dict[int, set]:  # fmt: skip
    """(kind, group, first month of the kind's period) held by each branch in the year, up
    to the day (a group only for group meetings)."""
    day = until or datetime.date(year, 12, 31)
    rows = _held_periods(ids, year, day, frequencies, list(frequencies), only)
    held: dict[int, set] = defaultdict(set)
    for org_id, kind, group_id, end_month in rows:
        group = group_id if kind == Kind.GROUP_MEETING else None
        held[org_id].add((kind, group, end_month - frequencies[kind] + 1))
    return held


def _groups(ids: list[int], year: int) -> dict[int, list[PartyGroup]]:
    found = PartyGroup.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=datetime.date(year, 1, 1)),
        organization_id__any_of=ids, started_on__lte=datetime.date(year, 12, 31),
    ).order_by("name")  # fmt: skip
    groups: dict[int, list[PartyGroup]] = defaultdict(list)
    for group in found:
        groups[group.organization_id].append(group)
    return groups


def _committee_months(ids: list[int], year: int) -> dict[int, set[int]]:
    """The months (by their first day) in which each branch held a committee."""
    firsts = [datetime.date(year, month, 1) for month in range(1, 13)]
    holders = {
        f"m{month}": Count("id", filter=Q(started_on__lte=first)
                           & (Q(ended_on__isnull=True) | Q(ended_on__gt=first)))
        for month, first in enumerate(firsts, start=1)
    }  # fmt: skip
    rows = (
        Position.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=firsts[0]),
                                organization_id__any_of=ids, started_on__lte=firsts[-1])
        .values("organization_id").annotate(**holders).order_by()
        .values_list("organization_id", *holders)
    )  # fmt: skip
    result: dict[int, set[int]] = {}
    for org_id, *by_month in rows:
        months = {m for m, n in enumerate(by_month, start=1) if n >= COMMITTEE_FROM}
        if months:
            result[org_id] = months
    return result


@dataclass
class MatrixRow:
    organization: Organization
    compliance: Compliance

    @property
    def is_branch(self) -> bool:
        return self.organization.is_branch

    @property
    def tally(self) -> str:
        """Held / required, as text: 400 rows of localized numbers cost 40 ms."""
        return f"{self.compliance.held} / {self.compliance.required}"

    @property
    def rate_text(self) -> str:
        rate = self.compliance.rate
        return "—" if rate is None else f"{rate}%"

    def month_cells(self) -> SafeString:
        """The row's twelve month cells, January to December: a branch's cells by kind
        (held, missed or running), another organization's held/required.

        Built here, with plain strings (the numbers and codes need no escaping; a group's
        name is escaped): 400 rows of 12 months through the template language took 300 ms
        of the page's 380, through format_html still 280.
        """
        by_month, c = self.compliance.by_month(), self.compliance
        cells = "".join(
            f'<td class="text-center small">'
            f"{self._month(m, by_month.get(m, ()), c.held_by_month[m], c.required_by_month[m])}"
            f"</td>"
            for m in range(1, 13)
        )
        return mark_safe(cells)

    def _month(self, month: int, cells, held: int, required: int) -> str:
        if self.is_branch:
            return "".join(
                f'<span class="cell-{c.state}" data-kind="{c.kind}" data-state="{c.state}" '
                f'title="{escape(c.group)}">{c.short}</span>'
                for c in cells
            )
        if not required:
            return ""
        state = "held" if held == required else "missed"
        return f'<span class="cell-{state}" data-month="{month}">{held}/{required}</span>'


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
    by_branch = branch_tallies([b.pk for b in branches], year, day)
    by_branch.update(branch_compliance([c for c in children if c.is_branch], year, day))
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
