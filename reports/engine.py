"""The statistics engine: every organization's figures as of a date, in a few SQL statements.

A run builds one snapshot in three steps:
1. start: a run and an empty, not yet current snapshot;
2. parts (one Celery task each, on any worker): each part takes whole subtrees below the
   top of the tree and writes every organization's own ("direct") figures there, counted
   by one grouped SQL statement over the membership records in force on the date;
3. finish: the top organizations' own rows, then a rollup in SQL, level by level, writes
   every subtree's figures (a parent is the sum of its children plus its own members by
   construction; an organization without children wrote its subtree row with its own in
   step 2), and the snapshot replaces the previous one for that date in the same
   transaction.
Nothing reads a snapshot until step 3 commits, so a failed or killed run changes nothing.
"""

import datetime
import io
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from development.figures import count_admissions
from members.choices import HAN, Event, Status
from members.models import MembershipRecord
from organizations.health import Counts, Flag, _flags, posts_held
from organizations.models import Kind, Organization, OrganizationClosure, Policy
from partybuild.lookups import any_of_sql, id_array
from partybuild.statistics import contributors

from .dimensions import (
    COLUMN_NAMES,
    DEVELOPMENT_COLUMNS,
    MEMBER_COLUMNS,
    ORGANIZATION_COLUMNS,
)
from .models import Figures, JobStatus, RunTrigger, Snapshot, StatsRun

logger = logging.getLogger(__name__)
PARTY_MEMBER_STATUSES = (Status.FULL.value, Status.PROBATIONARY.value)
FLAG_COLUMNS = {
    Flag.TOO_FEW_FULL: "flag_too_small",
    Flag.TOO_SMALL_FOR_KIND: "flag_too_small",
    Flag.TOO_MANY: "flag_too_large",
    Flag.SECRETARY_VACANT: "flag_secretary_vacant",
    Flag.TERM_EXPIRED: "flag_term_expired",
}
KIND_COLUMNS = {
    Kind.PARTY_COMMITTEE: "org_party_committee",
    Kind.GENERAL_BRANCH: "org_general_branch",
    Kind.BRANCH: "org_branch",
    Kind.JOINT_BRANCH: "org_joint_branch",
}


@dataclass(frozen=True)
class Scope:
    """The organizations of a part: the whole subtrees of `tops`, or exactly `only`, or
    every organization below the top of the tree (`below_top`: one part does it all)."""

    tops: tuple[int, ...] = ()
    only: tuple[int, ...] = ()
    below_top: bool = False

    def widened(self) -> "Scope":
        """The same organizations, said as `below_top` when the tops are all those just below
        the top of the tree: the scans then read every row but the top's instead of probing
        15,000 subtrees one by one (a third faster)."""
        below_top = Organization.objects.filter(depth=1).values_list("pk", flat=True)
        if self.tops and set(self.tops) == set(below_top):
            return Scope(below_top=True)
        return self

    def sql(self, column: str) -> tuple[str, list]:
        """A condition on an organization id column, with its parameters."""
        if self.below_top:
            return (f"{column} NOT IN (SELECT id FROM organizations_organization "
                    "WHERE parent_id IS NULL)", [])  # fmt: skip
        ids = list(self.tops or self.only)
        marks = ", ".join(["%s"] * len(ids))
        if self.tops:
            return (
                f"{column} IN (SELECT descendant_id FROM organizations_organizationclosure "
                f"WHERE ancestor_id IN ({marks}))",
                ids,
            )
        return f"{column} IN ({marks})", ids

    def organizations(self) -> Q:
        """The same condition on organizations themselves."""
        if self.below_top:
            return Q(parent__isnull=False)
        if self.tops:
            return Q(ancestor_links__ancestor_id__in=self.tops)
        return Q(pk__in=self.only)

    def q(self, path: str) -> Q:
        """The same condition for the ORM, on the organization reached through `path`."""
        if self.below_top:
            return Q(**{f"{path}__parent__isnull": False})
        if self.tops:
            return Q(**{f"{path}__ancestor_links__ancestor_id__in": self.tops})
        return Q(**{f"{path}__id__in": self.only})


# -- 1. start ------------------------------------------------------------------------------


def start_run(
    as_of: datetime.date, *, trigger: str = RunTrigger.MANUAL, user=None
) -> tuple[StatsRun, bool]:
    """The run for `as_of`: one already queued or running, or a new one (created=True)."""
    abandon_stale_runs()
    with transaction.atomic():
        running = (
            StatsRun.objects.select_for_update()
            .filter(as_of=as_of, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .first()
        )
        if running is not None:
            return running, False
        run = StatsRun.objects.create(as_of=as_of, trigger=trigger, requested_by=user)
        Snapshot.objects.create(
            as_of=as_of,
            run=run,
            development_year=as_of.year,
        )
    return run, True


def abandon_stale_runs() -> None:
    """Runs without a sign of life for STATS_STALE_SECONDS failed (a worker was killed):
    mark them so, and drop the snapshots they left half built."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.STATS_STALE_SECONDS)
    stale = StatsRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)
    )
    stale.update(
        status=JobStatus.FAILED, error="abandoned: no progress", finished_at=timezone.now()
    )
    Snapshot.objects.filter(is_current=False, run__status=JobStatus.FAILED).delete()


def plan_parts(count: int) -> list[Scope]:
    """Split the organizations below the top into `count` parts of similar size.

    A part is a set of whole subtrees (those of the top's children), so that each part can
    judge its own committees' health from its own rows.
    """
    sizes = (
        OrganizationClosure.objects.filter(ancestor__depth=1)
        .values("ancestor_id")
        .annotate(size=Count("id"))
        .order_by("-size", "ancestor_id")
    )
    bins: list[list[int]] = [[] for _ in range(max(1, count))]
    loads = [0] * len(bins)
    for row in sizes:
        lightest = loads.index(min(loads))
        bins[lightest].append(row["ancestor_id"])
        loads[lightest] += row["size"]
    return [Scope(tops=tuple(b)) for b in bins if b]


def beat(run_id: int, *, part_done: bool = False) -> None:
    changes = {"heartbeat_at": timezone.now()}
    if part_done:
        changes["parts_done"] = F("parts_done") + 1
    StatsRun.objects.filter(pk=run_id).update(**changes)


def begin(run_id: int, parts: int) -> None:
    now = timezone.now()
    StatsRun.objects.filter(pk=run_id).update(
        status=JobStatus.RUNNING, parts_total=parts, started_at=now, heartbeat_at=now
    )


def fail(run_id: int, error: str) -> None:
    StatsRun.objects.filter(pk=run_id).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    Snapshot.objects.filter(run_id=run_id, is_current=False).delete()


# -- 2. parts ------------------------------------------------------------------------------


def compute_part(run_id: int, scope: Scope) -> int:
    """Write the own figures of every organization in the scope; returns how many."""
    snapshot = Snapshot.objects.get(run_id=run_id)
    scope = scope.widened()
    with transaction.atomic():
        _room_to_count()
        organizations = list(Organization.objects.filter(scope.organizations()))
        written = write_own_figures(snapshot, organizations, scope)
    beat(run_id, part_done=True)
    return written


def _room_to_count() -> None:
    """Memory for the part's groupings, for this transaction only: PostgreSQL's 4 MB default
    spills the scan of 300,000 members, 40 counts each, to disk, and at 3 million members
    even 64 MB does (31 s against 23 s with 256 MB). No JIT compilation: at 3 million
    members the planner's costs call for an optimized compile of the 40 counts that takes
    6.6 s and saves nothing. Parallel workers dearer to start: at 3 million members the
    planner gave them to the contributed columns' subqueries (a community's evaluations,
    its reports) and counted the members themselves in one process (21.6 s; 15.2 s with
    the scan parallel instead, the same 1.3 s at 300,000 members)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL parallel_setup_cost = 10000")


def write_own_figures(
    snapshot: Snapshot,
    organizations: list[Organization],
    scope: Scope,
    *,
    outside: dict[int, Counts] | None = None,
) -> int:
    """Write the own figures of the organizations (all those of the scope); returns how many.
    `outside` adds members below them that are not in the scope (for the top, whose subtree
    is every part), for judging their health.

    Each source of counts is staged in a temporary table of its own, and one INSERT … SELECT
    joins them into the figures' rows: the member columns are counted straight into theirs,
    the contributors' SQL is joined as it is, and only the counts made in Python
    (development, health flags, contributors' counts()) are loaded, narrow. No wide row goes
    through Python: building 15,000 rows of 160 counts there and copying them back took 2 s.
    """
    as_of, ids = snapshot.as_of, [o.pk for o in organizations]
    with Staging() as staging:
        members = staging.members(as_of, scope)
        _write_ethnic_groups(snapshot, scope)
        staging.load([c.name for c in DEVELOPMENT_COLUMNS], development_counts(snapshot, scope))
        for contributor in contributors():  # other apps' columns (partybuild.statistics)
            for query in getattr(contributor, "queries", lambda *args: [])(as_of, ids):
                staging.join(query)
            names = [c.name for c in contributor.COLUMNS if not c.sql]
            staging.load(names, contributor.counts(as_of, ids))
        health = organization_counts(as_of, organizations, members, outside or {})
        staging.load([c.name for c in ORGANIZATION_COLUMNS], health)
        return staging.insert(snapshot, scope)


class Staging:
    """The temporary tables of one part's own counts, and the statement joining them."""

    def __init__(self):
        self.sources: list[tuple[str, list, list[str]]] = []  # (SQL or table, params, columns)
        self.tables: list[str] = []

    def __enter__(self) -> "Staging":
        self.cursor = connection.cursor().__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            for table in self.tables:
                self.cursor.execute(f"DROP TABLE {table}")
        self.cursor.__exit__(*exc)

    def _table(self) -> str:
        name = f"stats_stage_{len(self.tables)}"
        self.cursor.execute(f"DROP TABLE IF EXISTS {name}")
        self.tables.append(name)
        return name

    def members(self, as_of: datetime.date, scope: Scope) -> dict[int, Counts]:
        """Count the member columns into a table in one scan; returns the members, full and
        probationary of each organization (for its health)."""
        table = self._table()
        counts, params = [], []
        for column in MEMBER_COLUMNS:
            counts.append(f"COUNT(*) FILTER (WHERE {column.sql}) AS {_quoted(column.name)}")
            params.extend(column.params(as_of))
        in_force, in_force_params = _in_force(as_of, scope)
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {table} AS SELECT r.organization_id, {', '.join(counts)} "
            f"{in_force} GROUP BY r.organization_id",
            params + in_force_params,
        )
        self.sources.append((table, [], [c.name for c in MEMBER_COLUMNS]))
        self.cursor.execute(f'SELECT organization_id, members, "full", probationary FROM {table}')
        return {org_id: Counts(*map(int, values)) for org_id, *values in self.cursor}

    def join(self, query) -> None:
        """A contributor's counts by SQL (a values() queryset: organization_id and columns
        named as the statistics', one row per organization), joined as it is."""
        sql, params = query.query.sql_with_params()
        names = [n for n in query.query.values_select + tuple(query.query.annotation_select)
                 if n != "organization_id"]  # fmt: skip
        self.sources.append((f"({sql})", list(params), names))

    def load(self, names: list[str], rows: dict[int, dict[str, int]]) -> None:
        """Counts made in Python ({organization: {column: count}}), into a table of their
        own: on PostgreSQL by COPY."""
        if not rows or not names:
            return
        table = self._table()
        columns = ", ".join(f"{_quoted(n)} bigint" for n in names)
        self.cursor.execute(f"CREATE TEMPORARY TABLE {table} (organization_id bigint, {columns})")
        values = [[org_id, *(counts.get(n, 0) for n in names)] for org_id, counts in rows.items()]
        if connection.vendor == "postgresql":
            text = "\n".join(",".join(map(str, row)) for row in values)
            self.cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)",
                                           io.StringIO(text))  # fmt: skip
        else:
            marks = ", ".join(["%s"] * (len(names) + 1))
            self.cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        self.sources.append((table, [], names))

    def insert(self, snapshot: Snapshot, scope: Scope) -> int:
        """One row of own figures for every organization of the scope, each column the sum
        of the sources giving it (0 where none does), and for an organization without
        children its subtree row too, the same (see _ROWS_OF_LEAVES). Returns the rows
        written."""
        given: dict[str, list[str]] = defaultdict(list)
        joins, params = [], []
        for number, (source, source_params, names) in enumerate(self.sources):
            alias = f"s{number}"
            joins.append(f"LEFT JOIN {source} {alias} ON {alias}.organization_id = o.id")
            params += source_params
            for name in names:
                given[name].append(f"COALESCE({alias}.{_quoted(name)}, 0)")
        values = ", ".join(" + ".join(given[name]) or "0" for name in COLUMN_NAMES)
        where, where_params = scope.sql("o.id")
        self.cursor.execute(
            f"INSERT INTO reports_figures (snapshot_id, organization_id, subtree, "
            f"{', '.join(map(_quoted, COLUMN_NAMES))}) SELECT %s, o.id, t.subtree, {values} "
            f"FROM organizations_organization o {' '.join(joins)} "
            f"JOIN {_ROWS_OF_LEAVES.format(organization='o.id')} WHERE {where}",
            [snapshot.pk, *params, False, True, *where_params],
        )
        return self.cursor.rowcount


# Joined to an organization's own figures, twice for one without children (a branch): its
# subtree figures are its own, written by the same statement. The roll-up then sums the
# 1,000 organizations with children instead of reading and writing all 15,000 (1.3 → 0.7 s
# with the subtree rows of the branches written here).
_HAS_CHILDREN = ("EXISTS (SELECT 1 FROM organizations_organization child "
                 "WHERE child.parent_id = {organization})")  # fmt: skip
_ROWS_OF_LEAVES = (
    f"(SELECT %s AS subtree UNION ALL SELECT %s) t ON NOT t.subtree OR NOT {_HAS_CHILDREN}"
)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)  # "full" is a reserved word


def _write_ethnic_groups(snapshot: Snapshot, scope: Scope) -> None:
    """The own minorities of each organization by ethnic group (and, for one without
    children, its subtree's: the same)."""
    in_force, in_force_params = _in_force(snapshot.as_of, scope)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reports_ethnicgroupcount "
            "(snapshot_id, organization_id, subtree, ethnicity, count) "
            "SELECT %s, g.organization_id, t.subtree, g.ethnicity, g.n FROM ("
            f"SELECT r.organization_id, m.ethnicity, COUNT(*) AS n {in_force} "
            "AND m.ethnicity <> %s GROUP BY r.organization_id, m.ethnicity) g "
            f"JOIN {_ROWS_OF_LEAVES.format(organization='g.organization_id')}",
            [snapshot.pk, *in_force_params, HAN, False, True],
        )


def _in_force(as_of: datetime.date, scope: Scope) -> tuple[str, list]:
    """FROM and WHERE of the party members' records in force on the date, in the scope."""
    where, scope_params = scope.sql("r.organization_id")
    day = as_of.isoformat()
    return (
        "FROM members_membershiprecord r JOIN members_member m ON m.id = r.member_id "
        "WHERE r.started_on <= %s AND (r.ended_on IS NULL OR r.ended_on > %s) "
        f"AND r.status IN (%s, %s) AND {where}",
        [day, day, *PARTY_MEMBER_STATUSES, *scope_params],
    )


def development_counts(snapshot: Snapshot, scope: Scope) -> dict[int, dict[str, int]]:
    """Admissions from 1 January of the year to the date, where each person was admitted."""
    as_of = snapshot.as_of
    fields = ["organization_id", "member_id", "started_on", "member__gender",
              "member__ethnicity", "member__birth_date", "member__education"]  # fmt: skip
    rows = (
        MembershipRecord.objects.filter(
            scope.q("organization"),
            start_event=Event.ADMITTED,
            started_on__gte=datetime.date(as_of.year, 1, 1),
            started_on__lte=as_of,
        )
        .values_list(*fields)
        .order_by("started_on", "id")
    )
    by_organization: dict[int, dict] = defaultdict(dict)
    for org_id, *person in rows:
        by_organization[org_id].setdefault(person[0], person)  # the first admission
    result = {}
    for org_id, people in by_organization.items():
        figures = count_admissions(people.values())
        result[org_id] = {
            "dev_total": figures.developed, "dev_women": figures.women,
            "dev_minority": figures.minorities, "dev_young": figures.young,
            "dev_college": figures.college,
        }  # fmt: skip
    return result


def organization_counts(
    as_of: datetime.date,
    organizations: list[Organization],
    members: dict[int, Counts],
    outside: dict[int, Counts],
) -> dict[int, dict[str, int]]:
    """Each organization counts itself by kind, and once for each health flag it has on the
    date. A committee's health needs its subtree's members: summed here from the own."""
    subtree = _subtree_counts(organizations, members)
    for org_id, extra in outside.items():
        subtree[org_id] = _plus(subtree[org_id], extra)
    committee_size, with_secretary = posts_held({o.pk for o in organizations}, as_of)
    policy = Policy.current()
    result = {}
    for org in organizations:
        if not _exists_on(org, as_of):
            continue
        counts = result[org.pk] = {}
        if org.kind in KIND_COLUMNS:
            counts[KIND_COLUMNS[org.kind]] = 1
        flags = _flags(
            org,
            members.get(org.pk, Counts()) if org.is_branch else subtree[org.pk],
            committee_size=committee_size[org.pk],
            has_secretary=org.pk in with_secretary,
            today=as_of,
            policy=policy,
        )
        for flag in flags:
            if flag in FLAG_COLUMNS:
                counts[FLAG_COLUMNS[flag]] = 1
    return result


def _exists_on(org: Organization, day: datetime.date) -> bool:
    if org.founded_on and org.founded_on > day:
        return False
    if org.dissolved_on:
        return org.dissolved_on > day
    return org.is_active


def _subtree_counts(
    organizations: list[Organization], members: dict[int, Counts]
) -> dict[int, Counts]:
    """Members of each organization's subtree within the organizations, deepest first."""
    totals = {o.pk: members.get(o.pk, Counts()) for o in organizations}
    for org in sorted(organizations, key=lambda o: -o.depth):
        if org.parent_id in totals:
            totals[org.parent_id] = _plus(totals[org.parent_id], totals[org.pk])
    return totals


def _plus(a: Counts, b: Counts) -> Counts:
    return Counts(a.members + b.members, a.full + b.full, a.probationary + b.probationary)


# -- 3. finish -----------------------------------------------------------------------------


def finish_run(run_id: int) -> Snapshot:
    """The tops' own rows, the rollup of every subtree, and the switch, in one transaction."""
    snapshot = Snapshot.objects.select_related("run").get(run_id=run_id)
    tops = list(Organization.objects.filter(depth=0))
    with transaction.atomic():
        _room_to_count()
        below = _written_below(snapshot, tops)
        scope = Scope(only=tuple(o.pk for o in tops))
        write_own_figures(snapshot, tops, scope, outside=below)
        _roll_up(snapshot)
        _make_current(snapshot)
    _refresh_planner_statistics()
    return snapshot


def _refresh_planner_statistics() -> list[str]:
    """A new snapshot id is unknown to PostgreSQL's statistics until autovacuum analyses the
    table; meanwhile it plans the pages' joins for one row instead of 30,000 (a 3x slower
    ratio report). Analysing the key columns costs a few tens of milliseconds. Returns the
    tables analysed."""
    if connection.vendor != "postgresql":
        return []
    analysed = []
    for table in ("reports_figures", "reports_ethnicgroupcount"):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
                cursor.execute(f"ANALYZE {table} (snapshot_id, subtree, organization_id)")
                # Within an outer transaction the savepoint's setting would outlive it.
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
            analysed.append(table)
        except OperationalError:
            # Autovacuum holds the table (the previous snapshot's rows were deleted) and
            # analyses it once done: not waiting for it (it cost up to 2 s).
            logger.info("statistics: %s busy, left to autovacuum to analyse", table)
    return analysed


def _written_below(snapshot: Snapshot, tops: list[Organization]) -> dict[int, Counts]:
    """Members below each top, from the rows the parts wrote."""
    result = {}
    for top in tops:
        below = Figures.objects.filter(
            snapshot=snapshot, subtree=False, organization__ancestor_links__ancestor=top
        ).exclude(organization=top)
        totals = below.aggregate(m=Sum("members"), f=Sum("full"), p=Sum("probationary"))
        result[top.pk] = Counts(totals["m"] or 0, totals["f"] or 0, totals["p"] or 0)
    return result


def _roll_up(snapshot: Snapshot) -> None:
    """Every subtree's figures, level by level from the deepest: an organization's subtree
    is its own row plus its children's subtree rows (and likewise the ethnic groups). Those
    of organizations without children were written with their own.

    Each row is summed once, into its parent, instead of once per ancestor through the
    closure table: at 150,000 organizations the closure join's 600,000 rows of 160 counts,
    grouped in one hash table, took 16 s; summing level by level a few.
    """
    levels: dict[int, list[int]] = defaultdict(list)  # depth -> organizations
    parents: dict[int, set[int]] = defaultdict(set)  # depth -> those with children
    for org_id, depth, parent_id in Organization.objects.values_list("id", "depth", "parent"):
        levels[depth].append(org_id)
        if parent_id is not None:
            parents[depth - 1].add(parent_id)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The new snapshot's rows are unknown to the planner's statistics, which then
            # plans each level for one row, by nested loops: 100 s at 150,000 organizations.
            # Hash joins whatever the estimate (analysing before each level cost 2 s).
            cursor.execute("SET LOCAL enable_nestloop = off")
        count = sum(map(len, levels.values()))
        for depth in sorted(parents, reverse=True):
            _roll_up_level(cursor, snapshot.pk, parents[depth], levels[depth + 1], count)


def _roll_up_level(cursor, snapshot_id: int, parents: set[int], children: list[int],
                   organizations: int) -> None:  # fmt: skip
    """The subtree rows of the `parents`, all at one depth, from their own rows and their
    `children`'s subtree rows (see _rows_of)."""
    quoted = [connection.ops.quote_name(name) for name in COLUMN_NAMES]  # "full" is reserved
    columns = ", ".join(quoted)
    totals = ", ".join(f"own.{name} + kids.{name}" for name in quoted)
    sums = ", ".join(f"SUM(f.{name}) AS {name}" for name in quoted)
    own, own_params = _rows_of("reports_figures", snapshot_id, False, parents, organizations)
    kids, kid_params = _rows_of("reports_figures", snapshot_id, True, children, organizations)
    cursor.execute(
        f"INSERT INTO reports_figures (snapshot_id, organization_id, subtree, {columns}) "
        f"SELECT %s, own.organization_id, %s, {totals} FROM {own} own "
        f"JOIN (SELECT c.parent_id, {sums} FROM {kids} f "
        "JOIN organizations_organization c ON c.id = f.organization_id GROUP BY c.parent_id"
        ") kids ON kids.parent_id = own.organization_id",
        [snapshot_id, True, *own_params, *kid_params],
    )
    # The ethnic groups' rows are narrow: read by a scan of the snapshot's.
    own, own_params = _rows_of("reports_ethnicgroupcount", snapshot_id, False, parents)
    kids, kid_params = _rows_of("reports_ethnicgroupcount", snapshot_id, True, children)
    cursor.execute(
        "INSERT INTO reports_ethnicgroupcount "
        "(snapshot_id, organization_id, subtree, ethnicity, count) "
        "SELECT %s, t.organization_id, %s, t.ethnicity, SUM(t.count) FROM ("
        f" SELECT d.organization_id, d.ethnicity, d.count FROM {own} d"
        " UNION ALL"
        f" SELECT c.parent_id, d.ethnicity, d.count FROM {kids} d"
        " JOIN organizations_organization c ON c.id = d.organization_id"
        ") t GROUP BY t.organization_id, t.ethnicity",
        [snapshot_id, True, *own_params, *kid_params],
    )


def _rows_of(table: str, snapshot_id: int, subtree: bool, ids, organizations: int = 0):
    """(SQL, params) of a derived table: the snapshot's rows of `table` (own or subtree) for
    the organizations. Where they are few of all the `organizations`, on PostgreSQL, each is
    looked up by its id in the table's unique index, by a lateral join: the new snapshot is
    unknown to the planner's statistics, which otherwise reads every row of the snapshot
    and filters them by the ids (at 150,000 organizations, 150,000 rows of 160 counts for
    the top's one row: 0.9 s, 0.09 s looked up; OFFSET 0 keeps the planner from flattening
    the lookup into that same plan). Many are read by that scan (looked up one by one,
    100,000 took longer)."""
    lookup = connection.vendor == "postgresql" and len(ids) * LOOKUP_SHARE < organizations
    if lookup:
        return (
            "(SELECT r.* FROM unnest(%s::bigint[]) AS k(id) CROSS JOIN LATERAL (SELECT * "
            f"FROM {table} WHERE snapshot_id = %s AND subtree = %s AND organization_id = k.id "
            "OFFSET 0) r)",
            [id_array(ids), snapshot_id, subtree],
        )
    condition, params = any_of_sql("organization_id", ids, connection)
    return (
        f"(SELECT * FROM {table} WHERE snapshot_id = %s AND subtree = %s AND {condition})",
        [snapshot_id, subtree, *params],
    )


LOOKUP_SHARE = 5  # rows looked up one by one when fewer than a fifth of all


def _make_current(snapshot: Snapshot) -> None:
    """Replace the current snapshot of the date; prune the daily ones it makes obsolete."""
    previous = Snapshot.objects.select_for_update().filter(as_of=snapshot.as_of, is_current=True)
    previous.delete()
    obsolete_daily = Snapshot.objects.filter(
        is_current=True,
        as_of__lt=snapshot.as_of,
        run__trigger__in=[RunTrigger.NIGHTLY, RunTrigger.CHANGE],
    ).exclude(as_of__month=12, as_of__day=31)
    if snapshot.run.trigger in (RunTrigger.NIGHTLY, RunTrigger.CHANGE):
        obsolete_daily.delete()
    now = timezone.now()
    Snapshot.objects.filter(pk=snapshot.pk).update(is_current=True, computed_at=now)
    StatsRun.objects.filter(pk=snapshot.run_id).update(
        status=JobStatus.DONE, finished_at=now, heartbeat_at=now,
        parts_done=F("parts_total"),
    )  # fmt: skip
    snapshot.is_current, snapshot.computed_at = True, now
