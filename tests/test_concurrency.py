"""Registry writes under concurrency: two requests changing the same person at the same
moment. The second is refused with a clear message and the kept counts never drift.

Run on PostgreSQL (row locks); SQLite serializes whole transactions and is skipped.
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from members import services
from members.models import Member, OrganizationTally

from .factories import make_member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
)
CHANGED = "被他人修改"


def race(monkeypatch, user, requests: list[tuple[str, dict]]) -> list:
    """POST each request from its own thread; both have read the person before either
    takes the row lock (they meet at a barrier just before it)."""
    barrier = threading.Barrier(len(requests), timeout=20)
    lock = services._lock

    def meet_then_lock(member):
        barrier.wait()
        return lock(member)

    monkeypatch.setattr(services, "_lock", meet_then_lock)
    responses = [None] * len(requests)

    def post(i, url, data):
        client = Client()
        client.force_login(user)
        try:
            responses[i] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


def outcome(responses) -> list[str]:
    return sorted(
        "saved" if r.status_code == 302 else ("refused" if CHANGED in r.content.decode() else "?")
        for r in responses
    )


def no_drift(capsys) -> bool:
    kept = {t.organization_id: (t.full, t.probationary) for t in OrganizationTally.objects.all()}
    call_command("recount_members")
    assert "; 0 corrected" in capsys.readouterr().out
    recounted = {
        t.organization_id: (t.full, t.probationary) for t in OrganizationTally.objects.all()
    }
    return kept == recounted


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_one_is_refused_and_counts_hold(monkeypatch, capsys, cast, tree):
    member = make_member(tree.b1)
    url = reverse("members:member_move", args=[member.pk])
    responses = race(monkeypatch, cast.wendy, [
        (url, {"organization": tree.b2.code, "on": "2026-01-10"}),
        (url, {"organization": tree.b4.code, "on": "2026-01-10"}),
    ])  # fmt: skip
    assert outcome(responses) == ["refused", "saved"]
    member.refresh_from_db()
    assert member.organization_id in (tree.b2.pk, tree.b4.pk)
    assert member.records.filter(ended_on__isnull=True).count() == 1
    assert no_drift(capsys)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_departures_and_status_changes(monkeypatch, capsys, cast, tree):
    leaving, promoted = make_member(tree.b1), make_member(tree.b1, status="probationary")
    leave = reverse("members:member_leave", args=[leaving.pk])
    data = {"status": "deceased", "on": "2026-01-10", "reason": "病故"}
    assert outcome(race(monkeypatch, cast.alice, [(leave, data), (leave, data)])) == [
        "refused", "saved",
    ]  # fmt: skip
    status = reverse("members:member_status", args=[promoted.pk])
    data = {"status": "full", "on": "2026-01-10"}
    assert outcome(race(monkeypatch, cast.alice, [(status, data), (status, data)])) == [
        "refused", "saved",
    ]  # fmt: skip
    assert Member.objects.get(pk=promoted.pk).records.count() == 2
    assert no_drift(capsys)
