"""How the app grows with the data: the same measures on the large dataset and on N times it.

Build the two databases first (each an empty database, migrated):
    DATABASE_URL=postgres://…/partybuild_scale   .venv/bin/python manage.py seed_demo --large
    DATABASE_URL=postgres://…/partybuild_scale10 .venv/bin/python manage.py seed_demo --scale 10
then
    .venv/bin/python bench/scaling.py [--one URL] [--many URL] [--repeat 5]
Prints, for each measure, the figure at 1× and at N×, their ratio, and whether it keeps to
its goal: pages scoped to a branch or a committee stay flat (at most 1.5 times), whole-city
pages and the recompute grow no faster than the data. Each database is measured in a child
process of its own (Django holds one database per process), one after the other.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE = "postgres://partybuild:partybuild@127.0.0.1:5432/"
FLAT, WHOLE = "flat", "whole"  # the goals: ≤ 1.5×, ≤ the data's ratio
MEASURES = [  # (key, label, goal)
    ("recompute", "statistics recompute, in-process (s)", WHOLE),
    ("dashboard_city", "dashboard: whole city (ms)", WHOLE),
    ("dashboard_committee", "dashboard: a party committee (ms)", FLAT),
    ("ratios_city", "ratio report: children of the city (ms)", WHOLE),
    ("ratios_committee", "ratio report: a party committee (ms)", FLAT),
    ("members_branch", "member list: a branch (ms)", FLAT),
    ("members_committee", "member list: a party committee (ms)", FLAT),
    ("members_city", "member list: whole city, first page (ms)", WHOLE),
    ("yearly_city", "yearly workbook: whole city (s)", WHOLE),
    ("yearly_committee", "yearly workbook: a party committee (s)", FLAT),
]


def measure_here(repeat: int) -> dict:
    """In the child: every measure on this process's database."""
    from foundation import first_of, logged_in  # sets up Django

    from members.models import Member
    from organizations.models import Kind, Organization
    from reports.figures import current_snapshot
    from reports.tasks import request_recompute
    from reports.yearly import write_workbook

    client = logged_in()
    root = Organization.objects.get(parent__isnull=True)
    committee, branch = first_of(Kind.PARTY_COMMITTEE), first_of(Kind.BRANCH)
    result = {
        "organizations": Organization.objects.count(),
        "members": Member.objects.party_members().count(),
        "load": os.getloadavg()[0],
    }
    request_recompute()  # warm: the first run after a build reads cold tables
    slow = max(1, min(3, repeat))  # a recompute at 10× takes a minute: three are enough
    result["recompute"] = _median(slow, request_recompute)

    def page(url: str) -> float:
        client.get(url)
        return 1000 * _median(repeat, lambda: _ok(client.get(url), url))

    result["dashboard_city"] = page(f"/reports/{root.pk}/")
    result["dashboard_committee"] = page(f"/reports/{committee.pk}/")
    result["ratios_city"] = page(f"/reports/{root.pk}/ratios/")
    result["ratios_committee"] = page(f"/reports/{committee.pk}/ratios/")
    result["members_branch"] = page(f"/members/?organization={branch.pk}")
    result["members_committee"] = page(f"/members/?organization={committee.pk}")
    result["members_city"] = page("/members/")
    snapshot = current_snapshot()
    user = _user("committee")
    for key, org in (("yearly_city", root), ("yearly_committee", committee)):
        result[key] = _median(
            slow,
            lambda org=org: write_workbook(
                io.BytesIO(), organization=org, snapshot=snapshot, user=user
            ),
        )
    result["load_after"] = os.getloadavg()[0]
    return result


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _ok(response, url: str):
    assert response.status_code == 200, (url, response.status_code)


def _median(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_in_child(url: str, repeat: int) -> dict:
    env = os.environ | {"DATABASE_URL": url}
    child = subprocess.run(
        [sys.executable, __file__, "--child", "--repeat", str(repeat)],
        env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent, check=False,
    )  # fmt: skip
    if child.returncode:
        sys.exit(f"measuring {url} failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def table(one: dict, many: dict) -> list[str]:
    data = many["members"] / one["members"]
    lines = [
        f"data: {one['members']:,} → {many['members']:,} party members "
        f"({one['organizations']:,} → {many['organizations']:,} organizations), "
        f"ratio {data:.1f}",
        f"load average (1 min) at the start: {one['load']:.2f} / {many['load']:.2f}",
        "",
        f"| {'measure':<42} | {'1×':>8} | {'N×':>8} | {'ratio':>6} | goal | kept |",
        f"|{'-' * 44}|{'-' * 10}|{'-' * 10}|{'-' * 8}|------|------|",
    ]
    for key, label, goal in MEASURES:
        ratio = many[key] / one[key]
        limit = 1.5 if goal == FLAT else data
        fmt = ".2f" if label.endswith("(s)") else ".1f"
        goal_text = "≤1.5×" if goal == FLAT else f"≤{data:.0f}×"
        lines.append(
            f"| {label:<42} | {one[key]:>8{fmt}} | {many[key]:>8{fmt}} | {ratio:>5.2f}× "
            f"| {goal_text} | {'yes' if ratio <= limit else 'NO'} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", default=BASE + "partybuild_scale")
    parser.add_argument("--many", default=BASE + "partybuild_scale10")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure_here(options.repeat)))
        return
    one = measure_in_child(options.one, options.repeat)
    many = measure_in_child(options.many, options.repeat)
    print("\n".join(table(one, many)))


if __name__ == "__main__":
    main()
