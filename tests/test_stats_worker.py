"""Statistics runs on real Celery workers with a real Redis broker (make test, PostgreSQL).

One worker is a separate process, so that the test can kill it in the middle of a run
(SIGKILL, as the kernel's OOM killer or a lost machine would) and show that the previous
snapshot is still the one served.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from members.models import Member
from partybuild.celery import app
from reports.models import Figures, JobStatus, RunTrigger, Snapshot, StatsRun
from reports.tasks import DEBOUNCE_KEY, request_recompute

from .factories import make_member

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs REDIS_URL and PostgreSQL (make test sets them)",
    ),
]


def wait_until(condition, timeout: float = 60, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out: {message}")


def run_status(run: StatsRun) -> str:
    run.refresh_from_db()
    return run.status


@pytest.fixture
def worker_process():
    """A Celery worker process on the test database; yields the Popen."""
    app.control.purge()
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "STATS_PART_DELAY_SECONDS": "1.5",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "partybuild", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--loglevel=warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def thread_worker():
    from celery.contrib.testing.worker import start_worker

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker


@pytest.mark.django_db(transaction=True)
def test_a_killed_run_leaves_the_previous_snapshot_served(
    client, cast, tree, worker_process, settings
):
    for _ in range(3):
        make_member(tree.b1)
    first = request_recompute()
    wait_until(lambda: run_status(first) == JobStatus.DONE, message="first run")
    if first.trigger != RunTrigger.MANUAL:
        # A change-triggered run left queued by an earlier test was already under way (it
        # may have counted before the members existed): ours is the next one.
        first = request_recompute()
        wait_until(lambda: run_status(first) == JobStatus.DONE, message="first run, again")
    served = Snapshot.objects.get(is_current=True)
    served_members = Figures.objects.get(snapshot=served, organization=tree.w, subtree=True)
    assert served_members.members == 3, (first.trigger, served.run_id, first.pk)

    for _ in range(4):
        make_member(tree.b4)
    second = request_recompute()
    # Parts take 1.5 s each here: kill the worker once the first part is written.
    wait_until(lambda: StatsRun.objects.get(pk=second.pk).parts_done >= 1, message="a part")
    os.killpg(worker_process.pid, signal.SIGKILL)
    worker_process.wait(timeout=10)

    second.refresh_from_db()
    assert second.status == JobStatus.RUNNING and second.parts_done < second.parts_total + 1
    assert Snapshot.objects.get(is_current=True) == served  # the half-built one is not
    client.force_login(cast.wendy)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'fs-3 fw-semibold">3<' in page  # three members, as before the killed run

    # Once the run counts as abandoned, a new request starts afresh and finishes.
    settings.STATS_STALE_SECONDS = 0
    third = request_recompute()
    assert third.pk != second.pk
    assert run_status(second) == JobStatus.FAILED
    assert not Snapshot.objects.filter(run=second).exists()
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        wait_until(lambda: run_status(third) == JobStatus.DONE, message="third run")
    fresh = Snapshot.objects.get(is_current=True)
    assert Figures.objects.get(snapshot=fresh, organization=tree.w, subtree=True).members == 7


@pytest.mark.django_db(transaction=True)
def test_runs_spread_over_parts_and_many_changes_make_one_run(tree, thread_worker, settings):
    settings.STATS_DEBOUNCE_SECONDS = 2
    cache.delete(DEBOUNCE_KEY)
    for org in (tree.b1, tree.b2, tree.b3, tree.b4):
        make_member(org)  # four saves in a row, each scheduling at most one run
    runs = lambda: StatsRun.objects.filter(trigger=RunTrigger.CHANGE)  # noqa: E731
    run = wait_until(lambda: runs().filter(status=JobStatus.DONE).first(), 30, "debounced run")
    time.sleep(2.5)  # nothing else was scheduled meanwhile
    assert runs().count() == 1
    assert run.parts_total == 2  # the subtrees of P1 and P2, as two tasks
    snapshot = Snapshot.objects.get(run=run)
    assert Figures.objects.get(snapshot=snapshot, organization=tree.w, subtree=True).members == (
        Member.objects.party_members().count()
    )
