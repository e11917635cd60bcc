"""Transfers, floating members and community reporting at scale: a year of transfer letters
(16,000, one in twenty members), the floating records (one in fifty), two in three members in
service reported to a community with activities and evaluations, then the pages and the
statistics recompute that read them.

Run on PostgreSQL after bench/foundation.py has built the large dataset:
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/transfers.py
Prints: how long the data take to load, the statistics recompute, the transfers reminders'
rebuild, and each page's median server time and query count.
"""

import datetime
import os
import random
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

from community.demo import demo_community  # noqa: E402
from community.models import Report  # noqa: E402
from members.choices import PARTY_MEMBER_STATUSES  # noqa: E402
from members.demo import CREATED_AT  # noqa: E402
from members.models import Member  # noqa: E402
from organizations.models import BRANCH_KINDS, Kind, Organization  # noqa: E402
from partybuild.bulk import bulk_load, copy_rows  # noqa: E402
from partybuild.dates import add_months  # noqa: E402
from reminders import services as reminders  # noqa: E402
from reports.tasks import request_recompute  # noqa: E402
from transfers.models import Floating, Letter, State  # noqa: E402
from transfers.models import Kind as LetterKind  # noqa: E402

LETTERS = 16_000
OPEN_SHARE = 0.15  # still on their way (some of them overdue); the rest refused or withdrawn


def build() -> None:
    today = timezone.localdate()
    if not Report.objects.exists():
        started = time.perf_counter()
        members = list(Member.objects.values("id", "status", "is_retired", "occupation",
                                             "organization_id"))  # fmt: skip
        with transaction.atomic():
            made = demo_community(members, today, CREATED_AT)
        print(f"community reports loaded: {made} in {time.perf_counter() - started:.1f} s")
    if not Letter.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            made = _letters(today)
        print(f"transfer letters loaded: {made} in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for table in ("transfers_letter", "transfers_floating", "community_report",
                      "community_evaluation", "members_member"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"floating records: {Floating.objects.count()}, letters: {Letter.objects.count()}")


def _letters(today: datetime.date) -> int:
    """Letters between random branches; the open ones mark their members as transferring.
    Received letters would move people: the registry's own services do that, so the load
    keeps to letters that leave the registry as it is."""
    rng = random.Random(16)
    branches = list(Organization.objects.filter(kind__in=BRANCH_KINDS).values_list("pk", "name"))
    names = dict(branches)
    people = list(
        Member.objects.filter(status__in=PARTY_MEMBER_STATUSES).order_by("?")[:LETTERS]
        .values("id", "name", "id_number", "gender", "ethnicity", "birth_date", "status",
                "joined_on", "converted_on", "organization_id")
    )  # fmt: skip
    rows, pending = [], []
    for person in people:
        issued = today - datetime.timedelta(days=rng.randint(1, 330))
        receiver = rng.choice(branches)[0]
        is_open = rng.random() < OPEN_SHARE
        state = State.ISSUED if is_open else rng.choice([State.REFUSED, State.WITHDRAWN])
        if is_open:
            pending.append(person["id"])
        sender = person.pop("organization_id")
        member_id = person.pop("id")
        rows.append({
            **person, "member_id": member_id, "kind": LetterKind.WITHIN, "state": state,
            "sender_id": sender, "sender_name": names.get(sender, ""), "receiver_id": receiver,
            "receiver_name": names[receiver], "approver_id": None, "incoming_number": "",
            "reason": "work", "paid_up_to": None, "issued_on": issued,
            "valid_until": add_months(issued, 3), "handler": "王", "handler_phone": "",
            "note": "", "approved_on": None, "received_on": None, "answer": "",
            "issued_by_id": None, "decided_by_id": None, "created_at": CREATED_AT,
            "updated_at": CREATED_AT,
        })  # fmt: skip
    with bulk_load(Letter):
        copy_rows(Letter, rows)
    Member.objects.filter(pk__in=pending).update(transfer_pending=True)
    return len(rows)


def main() -> None:
    ensure_database()
    build()
    started = time.perf_counter()
    written = reminders.rebuild("transfers", timezone.localdate())
    print(f"transfers reminders rebuilt: {written} rows in {time.perf_counter() - started:.1f} s")
    for _ in range(2):
        started = time.perf_counter()
        run = request_recompute(timezone.localdate())
        run.refresh_from_db()
        print(f"statistics recompute (with floating and community): "
              f"{time.perf_counter() - started:.2f} s, {run.status}")  # fmt: skip
    client = logged_in()
    root = Organization.objects.get(parent__isnull=True)
    committee = first_of(Kind.PARTY_COMMITTEE)
    branch = (Organization.objects.filter(kind=Kind.BRANCH).annotate(size=Count("members"))
              .filter(size__gte=50).order_by("size", "pk").first())  # fmt: skip
    letter = Letter.objects.filter(state=State.ISSUED).order_by("pk").first()
    member = Member.objects.filter(organization=branch, status="full").first()
    away = Floating.objects.filter(returned_on__isnull=True).order_by("pk").first()
    print(f"{'page':<58} {'median':>10}  queries")
    for label, url in [
        ("letters: whole city, on their way", f"/transfers/organizations/{root.pk}/"),
        ("letters: whole city, overdue", f"/transfers/organizations/{root.pk}/?show=overdue"),
        ("letters: whole city, all", f"/transfers/organizations/{root.pk}/?show=all"),
        ("letters: one party committee", f"/transfers/organizations/{committee.pk}/"),
        ("letters: one branch, all", f"/transfers/organizations/{branch.pk}/?show=all"),
        ("a letter", f"/transfers/letters/{letter.pk}/"),
        ("floating: whole city", f"/transfers/organizations/{root.pk}/floating/"),
        ("floating: one party committee", f"/transfers/organizations/{committee.pk}/floating/"),
        ("a floating record", f"/transfers/floating/{away.pk}/"),
        ("community: whole city", f"/community/organizations/{root.pk}/"),
        ("community: whole city, not reported",
         f"/community/organizations/{root.pk}/?missing=1"),
        ("community: one branch", f"/community/organizations/{branch.pk}/"),
        ("a member's transfers and floating", f"/transfers/members/{member.pk}/"),
        ("a member's community reports", f"/community/members/{member.pk}/"),
        ("member page", f"/members/{member.pk}/"),
        ("reminders: transfers, whole city", "/reminders/?source=transfers"),
        ("dashboard: whole city", f"/reports/{root.pk}/"),
        ("ratio report: children of the working committee", f"/reports/{root.pk}/ratios/"),
    ]:  # fmt: skip
        measure(client, label, url)


if __name__ == "__main__":
    main()
