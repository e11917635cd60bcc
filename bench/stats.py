"""Statistics benchmark on the large dataset (build it first with bench/foundation.py).

    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/stats.py
Prints:
- a full recompute of every organization's figures, in-process (one worker, the parts one
  after the other), three times, and how long the member SQL takes for the whole tree;
- the median server time and query count of the dashboard and ratio report pages;
- the yearly workbook of the whole city and the full roster export, each in a fresh process:
  seconds and that process's peak resident memory (VmHWM), Django included.
"""

import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from foundation import first_of, logged_in, measure  # sets up Django

from members import roster
from members.filters import MemberFilter
from members.models import Member
from organizations import access
from organizations.models import Kind, Organization
from reports import engine
from reports.figures import current_snapshot
from reports.models import Figures
from reports.tasks import request_recompute
from reports.yearly import write_workbook

# The floor: one statement that counts the party members in force on the day by
# organization and rolls them up through the closure table (no other column, no writing).
LOWER_BOUND_SQL = """
SELECT c.ancestor_id, SUM(own.n) FROM organizations_organizationclosure c JOIN (
    SELECT r.organization_id, COUNT(*) AS n FROM members_membershiprecord r
    JOIN members_member m ON m.id = r.member_id
    WHERE r.started_on <= %s AND (r.ended_on IS NULL OR r.ended_on > %s)
      AND r.status IN ('full', 'probationary')
    GROUP BY r.organization_id
) own ON own.organization_id = c.descendant_id GROUP BY c.ancestor_id
"""


def recompute() -> None:
    times = []
    for attempt in range(1, 4):
        started = time.perf_counter()
        run = request_recompute()  # no broker here: the chord runs in this process
        seconds = time.perf_counter() - started
        times.append(seconds)
        run.refresh_from_db()
        rows = Figures.objects.filter(snapshot__run=run).count()
        print(f"full recompute #{attempt}: {seconds:.2f} s, {run.parts_total} parts, "
              f"{rows} figure rows, status {run.status}")  # fmt: skip
    floor = lower_bound(current_snapshot().as_of)
    median = statistics.median(times)
    print(
        f"  median {median:.2f} s; the raw SQL lower bound {floor:.2f} s "
        f"(members counted and rolled up in one statement): {median / floor:.1f} times it"
    )
    with transaction.atomic():  # rolled back: nothing is written
        engine._room_to_count()
        started = time.perf_counter()
        with engine.Staging() as staging:
            counted = staging.members(current_snapshot().as_of, engine.Scope(below_top=True))
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"  of which the member columns of all organizations: {seconds:.2f} s ({len(counted)})")


def lower_bound(day) -> float:
    """Median of three runs of LOWER_BOUND_SQL, in seconds."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(LOWER_BOUND_SQL, [day, day])
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def pages() -> None:
    client = logged_in()
    root = Organization.objects.get(parent__isnull=True)
    committee, branch = first_of(Kind.PARTY_COMMITTEE), first_of(Kind.BRANCH)
    print(f"{'page':<58} {'median':>10}  queries")
    measure(client, "dashboard: working committee (whole city)", "/reports/")
    measure(client, "dashboard: a party committee", f"/reports/{committee.pk}/")
    measure(client, "dashboard: a branch", f"/reports/{branch.pk}/")
    measure(client, "ratio report: 400 children, by share of women",
            f"/reports/{root.pk}/ratios/?sort=-women")  # fmt: skip
    branches = f"/reports/{root.pk}/ratios/?level=branches"
    measure(client, "ratio report: all 14,000 branches, by code, page 1", branches)
    measure(client, "ratio report: all branches, by 35 and under, page 1",
            f"{branches}&sort=-young")  # fmt: skip
    measure(client, "ratio report: all branches, by participation, page 200",
            f"{branches}&sort=participation&page=200")  # fmt: skip


def export(kind: str) -> None:
    """Child process: write one export to memory, print seconds and size."""
    user = get_user_model().objects.get(username="committee")
    stream = io.BytesIO() if kind == "yearly" else open(os.devnull, "wb")  # noqa: SIM115
    started = time.perf_counter()
    if kind == "yearly":
        root = Organization.objects.get(parent__isnull=True)
        write_workbook(stream, organization=root, snapshot=current_snapshot(), user=user)
        detail = f"{len(stream.getvalue()) // 1024} KB"
    else:
        members = MemberFilter(
            {}, queryset=access.scoped(Member.objects.all(), user),
            organizations=access.visible_organizations(user),
        ).qs  # fmt: skip
        with open("/tmp/roster-bench.xlsx", "wb") as stream:
            rows = roster.write_roster(stream, members)
        detail = f"{rows} rows, {os.path.getsize('/tmp/roster-bench.xlsx') // 1024} KB"
    print(f"{time.perf_counter() - started:.1f} s, {detail}; peak memory {peak_mb():.0f} MB")


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, unlike ru_maxrss,
    which would count the parent's memory copied by the fork."""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(int(line.split()[1]) for line in status.splitlines()
                     if line.startswith("VmHWM:"))  # fmt: skip
    return kilobytes / 1024


def exports() -> None:
    for kind, label in (("yearly", "yearly workbook, whole city"),
                        ("roster", "roster export, everyone")):  # fmt: skip
        child = subprocess.Popen([sys.executable, __file__, "--export", kind],
                                 stdout=subprocess.PIPE, text=True, env=os.environ,
                                 cwd=Path(__file__).parent.parent)  # fmt: skip
        result, _errors = child.communicate()
        print(f"{label:<40} {result.strip()}")


if __name__ == "__main__":
    if "--export" in sys.argv:
        export(sys.argv[sys.argv.index("--export") + 1])
    else:
        print(f"dataset: {Organization.objects.count()} organizations, "
              f"{Member.objects.party_members().count()} party members")  # fmt: skip
        recompute()
        pages()
        exports()
