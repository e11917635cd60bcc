"""The demo's transfers and floating members.

Floating: the members the registry's builder marked away (one in fifty) are away since a
day in the last two years, most with a contact recorded in the last months, one in five
without contact for more than six months (the reminder), one in ten back already.

Letters, written through the services as staff would: in the demo secretaries' branches an
incoming letter to confirm (from the sibling branch) and one leaving the party committee's
subtree waiting for approval; elsewhere a few received, one past its validity and one out of
the system awaiting its return slip.
"""

import datetime
import random

from django.contrib.auth import get_user_model

from members.choices import PARTY_MEMBER_STATUSES
from members.models import Member
from organizations.models import BRANCH_KINDS, Organization, UserRole
from partybuild.bulk import copy_rows, reset_sequences

from . import services
from .models import Contact, Floating

HOSTS = {"深圳": "深圳市流动党员党支部", "上海": "上海市流动党员党委", "北京": "", "杭州": ""}


def demo_floating(members: list[dict], today: datetime.date, recorded_at: datetime.datetime,
                  seed: int = 2026) -> int:  # fmt: skip
    """Floating records (and contacts) of the builder's members marked away."""
    rng = random.Random(seed)
    away = [m for m in members if m.get("_away") and m["status"] in PARTY_MEMBER_STATUSES]
    records, contacts = [], []
    next_id = (Floating.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for i, member in enumerate(away):
        since = today - datetime.timedelta(days=rng.randint(60, 720))
        returned = today - datetime.timedelta(days=rng.randint(1, 50)) if i % 10 == 9 else None
        records.append({
            "id": next_id + i, "member_id": member["id"], "since": since,
            "expected_until": None, "whereabouts": member["_away"],
            "contact": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            "host_organization": HOSTS[member["_away"]], "certificate_number":
            f"LD{today.year}{member['id']:07d}" if HOSTS[member["_away"]] else "",
            "returned_on": returned, "recorded_by_id": None, "recorded_at": recorded_at,
        })  # fmt: skip
        if i % 5 != 4:  # one in five: no contact for more than six months
            on = max(since, today - datetime.timedelta(days=rng.randint(5, 150)))
            contacts.append({"floating_id": next_id + i, "on": on, "note": "电话联系",
                             "recorded_by_id": None, "recorded_at": recorded_at})  # fmt: skip
    copy_rows(Floating, records)
    copy_rows(Contact, contacts)
    reset_sequences(Floating)
    return len(records)


def demo_letters(today: datetime.date, seed: int = 2026) -> int:
    """A dozen letters in every state (the services keep their reminders)."""
    rng = random.Random(seed)
    staff = get_user_model().objects.filter(username="committee").first()
    mine = dict(
        UserRole.objects.filter(user__username__in=["secretary", "secretary2"]).values_list(
            "user__username", "organization_id"
        )
    )
    if len(mine) < 2:
        return 0
    first, second = (Organization.objects.get(pk=mine[n]) for n in ("secretary", "secretary2"))
    far = (
        Organization.objects.filter(kind__in=BRANCH_KINDS, status="active")
        .exclude(ancestor_links__ancestor=services.superior_committee(first))
        .order_by("pk")
    )
    others = list(far[:40])
    if not others:
        return 0
    written = 0

    def member_of(org):
        return (Member.objects.filter(organization=org, status__in=PARTY_MEMBER_STATUSES,
                                      transfer_pending=False).order_by("pk").first())  # fmt: skip

    def issue(member, days_ago, **where):
        nonlocal written
        if member is None:
            return None
        written += 1
        return services.letter_issue(member=member, issued_on=today - datetime.timedelta(
            days=days_ago), handler="王组织员", handler_phone="010-88886666", by=staff,
            **where)  # fmt: skip

    issue(member_of(second), 3, receiver=first)  # to confirm in the secretary's branch
    issue(member_of(first), 2, receiver=others[0])  # waits for pcstaff's approval
    for i, org in enumerate(others[1:9]):
        letter = issue(member_of(org), rng.randint(20, 60), receiver=others[(i + 9) % len(others)])
        if letter and letter.approver_id:
            letter = services.letter_approve(letter=letter, by=staff)
        if letter and i % 2 == 0:
            services.letter_receive(letter=letter, on=today - datetime.timedelta(days=5), by=staff)
    overdue = issue(member_of(others[-1]), 130, receiver=first)
    if overdue and overdue.approver_id:
        services.letter_approve(letter=overdue, on=overdue.issued_on, by=staff)
    out = issue(member_of(others[-2]), 15, receiver_name="广东省深圳市南山区委组织部")
    if out and out.approver_id:
        services.letter_approve(letter=out, by=staff)
    return written


def demo_transfers(members: list[dict], today: datetime.date,
                   recorded_at: datetime.datetime) -> dict:  # fmt: skip
    """Their reminders are stored by the demo's rebuild of every source, which follows."""
    return {"floating": demo_floating(members, today, recorded_at),
            "letters": demo_letters(today)}  # fmt: skip
