"""Elections and terms, training, secretaries' reports and the yearly assessment at scale: the
pages of the whole city, a party committee and a branch on the large dataset, with their
query counts. Nothing is loaded: the terms come from the tree, the rest are empty or small
(what a working committee has in its first year); the point is that no page walks the tree.

Run on PostgreSQL after bench/foundation.py has built the large dataset:
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/organization_work.py
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

from django.utils import timezone  # noqa: E402
from foundation import ensure_database, first_of, logged_in, measure  # noqa: E402

from assessment.models import Item, Scheme  # noqa: E402
from assessment.services import fill_from_figures  # noqa: E402
from organizations.models import Kind, Organization  # noqa: E402
from reminders import services as reminders  # noqa: E402


def main() -> None:
    ensure_database()
    today = timezone.localdate()
    started = time.perf_counter()
    written = reminders.rebuild("elections", today)
    print(f"terms reminders rebuilt: {written} rows in {time.perf_counter() - started:.1f} s")
    root = Organization.objects.get(parent__isnull=True)
    scheme, created = Scheme.objects.get_or_create(
        owner=root, year=today.year, defaults={"title": f"{today.year}年度目标考核"}
    )
    if created:
        Item.objects.create(scheme=scheme, section="组织生活", title="组织生活完成率",
                            max_points=10, source="compliance")  # fmt: skip
    committee = first_of(Kind.PARTY_COMMITTEE)
    branch = first_of(Kind.BRANCH)
    client = logged_in()
    print(f"{'page':<58} {'median':>10}  queries")
    for label, url in [
        ("terms list: whole city", f"/elections/organizations/{root.pk}/"),
        ("terms list: one party committee", f"/elections/organizations/{committee.pk}/"),
        ("training: whole city", f"/training/organizations/{root.pk}/"),
        ("study hours: whole city, first page", f"/training/organizations/{root.pk}/hours/"),
        ("study hours: one branch", f"/training/organizations/{branch.pk}/hours/"),
        ("secretaries' reports: whole city", f"/secretary-reports/organizations/{root.pk}/"),
        ("assessment: the city's scheme (its 400 committees ranked)",
         f"/assessment/{scheme.pk}/"),
        ("reminders: terms, whole city", "/reminders/?source=elections"),
    ]:  # fmt: skip
        measure(client, label, url)
    started = time.perf_counter()
    filled = fill_from_figures(scheme=scheme, as_of=today)
    print(f"assessment filled from the statistics: {filled} scores in "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
