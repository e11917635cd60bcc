"""Organizational life at scale: a year of meetings for every branch of the large dataset,
then the pages and the statistics recompute that read them.

Run on PostgreSQL after bench/foundation.py has built the large dataset:
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/meetings.py [--rebuild]
Prints: how long the meetings and their attendance take to build, their numbers, the
statistics recompute, and each page's median server time and query count.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from foundation import ensure_database, first_of, logged_in, measure  # noqa: E402

from meetings.demo import demo_meetings  # noqa: E402
from meetings.models import Attendance, Meeting  # noqa: E402
from members.demo import ANCHOR, CREATED_AT  # noqa: E402
from organizations.models import Kind, Organization  # noqa: E402
from reports.tasks import request_recompute  # noqa: E402


def build(rebuild: bool) -> None:
    if rebuild and Meeting.objects.exists():
        # Not TRUNCATE … CASCADE: that would empty the development votes taken at meetings
        # and, through them, every development step.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE development_vote SET meeting_id = NULL")
            cursor.execute("TRUNCATE meetings_attendance, meetings_meetingfile")
            cursor.execute("DELETE FROM meetings_meeting")
    if Meeting.objects.exists():
        print(f"meetings present: {Meeting.objects.count()}")
        return
    started = time.perf_counter()
    with transaction.atomic():
        made = demo_meetings(ANCHOR, CREATED_AT)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_meeting")
        cursor.execute("ANALYZE meetings_attendance")
    print(f"meetings built: {made} meetings, {Attendance.objects.count()} attendance rows "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


def main() -> None:
    ensure_database()
    build("--rebuild" in sys.argv)
    started = time.perf_counter()
    run = request_recompute(timezone.localdate())
    run.refresh_from_db()
    print(f"statistics recompute (with organizational life): "
          f"{time.perf_counter() - started:.2f} s, {run.status}")  # fmt: skip
    client = logged_in()
    root = Organization.objects.get(parent__isnull=True)
    committee, branch = first_of(Kind.PARTY_COMMITTEE), first_of(Kind.BRANCH)
    print(f"{'page':<58} {'median':>10}  queries")
    measure(client, "compliance matrix: children of the working committee",
            f"/meetings/matrix/{root.pk}/")  # fmt: skip
    measure(client, "compliance matrix: one party committee", f"/meetings/matrix/{committee.pk}/")
    measure(client, "compliance matrix: one branch", f"/meetings/matrix/{branch.pk}/")
    measure(client, "meetings of one branch", f"/meetings/organizations/{branch.pk}/")
    meeting = Meeting.objects.filter(organization=branch).first()
    measure(client, "one meeting with its attendance", f"/meetings/{meeting.pk}/")
    measure(client, "who comes: one branch", f"/meetings/organizations/{branch.pk}/attendance/")
    measure(client, "branch page (with what is not held yet)", f"/organizations/{branch.pk}/")
    measure(client, "dashboard: whole city (with organizational life)", f"/reports/{root.pk}/")


if __name__ == "__main__":
    main()
