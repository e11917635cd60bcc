"""Party dues at scale: every member's basis, a year of ledger rows (3.8 million, one per
member and month) and receipts for the large dataset, then the pages and the statistics
recompute that read them.

Run on PostgreSQL after bench/foundation.py has built the large dataset:
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/dues.py [--rebuild]
Prints: how long the dues take to build and their numbers, the statistics recompute, and
each page's median server time and query count.
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
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from foundation import ensure_database, first_of, logged_in, measure  # noqa: E402

from dues import totals  # noqa: E402
from dues.demo import demo_dues  # noqa: E402
from dues.models import Due, MonthTotal, Payment  # noqa: E402
from members.demo import CREATED_AT  # noqa: E402
from members.models import Member  # noqa: E402
from organizations.models import Kind, Organization  # noqa: E402
from reminders import services as reminders  # noqa: E402
from reports.tasks import request_recompute  # noqa: E402


def build(rebuild: bool) -> None:
    if rebuild and Due.objects.exists():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE dues_due, dues_payment, dues_basis, dues_excuse, "
                           "dues_lapse")  # fmt: skip
    if Due.objects.exists():
        print(f"dues present: {Due.objects.count()} ledger rows")
        if not MonthTotal.objects.exists():  # a ledger built before the totals were kept
            started = time.perf_counter()
            made = totals.recount_all()
            print(f"month totals counted: {made} in {time.perf_counter() - started:.1f} s")
        return
    started = time.perf_counter()
    with transaction.atomic():
        made = demo_dues(timezone.localdate(), CREATED_AT)
    with connection.cursor() as cursor:
        for table in ("dues_due", "dues_payment", "dues_basis"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"dues built: {made} ledger rows, {Payment.objects.count()} receipts "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    started = time.perf_counter()
    written = reminders.rebuild("dues", timezone.localdate())
    print(f"dues reminders rebuilt: {written} rows in {time.perf_counter() - started:.1f} s")


def main() -> None:
    ensure_database()
    build("--rebuild" in sys.argv)
    started = time.perf_counter()
    run = request_recompute(timezone.localdate())
    run.refresh_from_db()
    print(f"statistics recompute (with dues): {time.perf_counter() - started:.2f} s, "
          f"{run.status}")  # fmt: skip
    client = logged_in()
    root = Organization.objects.get(parent__isnull=True)
    committee = first_of(Kind.PARTY_COMMITTEE)
    branch = (Organization.objects.filter(kind=Kind.BRANCH, pk__gt=first_of(Kind.BRANCH).pk)
              .order_by("pk").first())  # fmt: skip
    # A branch of about fifty among those the demo gives arrears (id % 9 == 4).
    sized = (Organization.objects.filter(kind=Kind.BRANCH).annotate(size=Count("members"))
             .filter(size__gte=50).order_by("size", "pk"))  # fmt: skip
    in_arrears = next(o for o in sized.iterator() if o.pk % 9 == 4)
    size = in_arrears.size
    print(f"{'page':<58} {'median':>10}  queries")
    measure(client, "arrears: whole city, first page", f"/dues/organizations/{root.pk}/arrears/")
    measure(client, "arrears: whole city, six months or more",
            f"/dues/organizations/{root.pk}/arrears/?six=1")  # fmt: skip
    measure(client, "arrears: one party committee",
            f"/dues/organizations/{committee.pk}/arrears/")  # fmt: skip
    measure(client, f"arrears: one branch in arrears ({size} people)",
            f"/dues/organizations/{in_arrears.pk}/arrears/")  # fmt: skip
    measure(client, f"monthly grid: one branch ({size} people)",
            f"/dues/organizations/{in_arrears.pk}/")  # fmt: skip
    measure(client, "monthly grid: another branch", f"/dues/organizations/{branch.pk}/")
    measure(client, "bases grid: one branch", f"/dues/organizations/{in_arrears.pk}/bases/")
    measure(client, "publication list: one branch",
            f"/dues/organizations/{in_arrears.pk}/publication/")  # fmt: skip
    measure(client, "collection report: children of the working committee",
            f"/dues/organizations/{root.pk}/collection/")  # fmt: skip
    measure(client, "collection report: one party committee",
            f"/dues/organizations/{committee.pk}/collection/")  # fmt: skip
    member = Member.objects.filter(organization=in_arrears, status="full").first()
    measure(client, "a member's dues", f"/dues/members/{member.pk}/")
    measure(client, "reminders: dues, whole city", "/reminders/?source=dues")
    measure(client, "dashboard: whole city (with dues)", f"/reports/{root.pk}/")


if __name__ == "__main__":
    main()
