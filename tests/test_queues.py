"""Queues across worker processes: each kind of long work has its own queue, a worker takes
only the queues it is started with, and the statistics' parts spread over several workers
give the figures of the in-process run. Real `celery worker` processes on a real Redis, on
the PostgreSQL test database (make test)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from partybuild.celery import app
from partybuild.models import Job, JobStatus
from reports import engine
from reports.models import Figures, Snapshot, StatsRun
from reports.tasks import request_recompute, wait

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"),
        reason="needs REDIS_URL and DATABASE_URL (make test sets them)",
    ),
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database, for the worker processes."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Workers:
    """Worker processes started for one test, stopped at its end."""

    def __init__(self):
        self.processes = []

    def start(self, name: str, queues: str, **env) -> str:
        node = f"{name}@{socket.gethostname()}"
        command = [sys.executable, "-m", "celery", "-A", "partybuild", "worker", "-Q", queues,
                   "-n", node, "--pool", "solo", "--without-gossip", "--without-mingle",
                   "--loglevel", "warning"]  # fmt: skip
        environment = {**os.environ, "DATABASE_URL": database_url(),
                       "DJANGO_SETTINGS_MODULE": "partybuild.test_settings", **env}  # fmt: skip
        environment.pop("DATABASE_REPLICA_URL", None)  # it names the database, not the test one
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=environment))
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=0.5):
            assert time.monotonic() < deadline, f"worker {node} did not start"
        return node

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers():
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.flushdb()  # no task or result of an earlier test
    started = Workers()
    yield started
    started.stop()


def ran_on() -> dict[str, set[str]]:
    """Task name -> the workers that ran it, from the results the workers stored."""
    broker = redis.Redis.from_url(settings.REDIS_URL)
    seen: dict[str, set[str]] = {}
    for key in broker.scan_iter("celery-task-meta-*"):
        meta = json.loads(broker.get(key))
        seen.setdefault(meta["name"], set()).add(meta["worker"])
    return seen


def wait_job(job: Job, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while job.status not in (JobStatus.DONE, JobStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    return job


def test_a_statistics_worker_takes_only_statistics_and_an_export_waits_for_its_own(
    client, cast, people, settings, workers
):
    settings.ROSTER_EXPORT_INLINE_LIMIT = 1
    statistics = workers.start("statistics", "statistics")
    client.force_login(cast.paul)
    client.post(reverse("members:member_export"))
    export = Job.objects.get()

    run = wait(request_recompute(), timeout=60)
    assert run.status == JobStatus.DONE, run.error
    time.sleep(1)
    export.refresh_from_db()
    assert export.status == JobStatus.QUEUED  # no worker on the exports queue yet

    jobs = workers.start("jobs", "exports,imports")
    assert wait_job(export).status == JobStatus.DONE, export.error
    where = ran_on()
    assert where["reports.tasks.stats_run"] == {statistics}
    assert where["reports.tasks.stats_part"] == {statistics}
    assert where["reports.tasks.stats_finish"] == {statistics}
    assert where["members.tasks.roster_export"] == {jobs}


def figures_of(snapshot: Snapshot) -> dict:
    rows = Figures.objects.filter(snapshot=snapshot).order_by("organization_id", "subtree")
    return {
        (r.organization_id, r.subtree): {
            f.attname: getattr(r, f.attname)
            for f in Figures._meta.concrete_fields
            if f.attname not in ("id", "snapshot_id")
        }
        for r in rows
    }


def test_the_parts_spread_over_two_workers_give_the_in_process_figures(people, settings, workers):
    settings.STATS_PARTS = 4
    # Each part waits a second, so that both workers take some.
    first = workers.start("stats1", "statistics", STATS_PARTS="4", STATS_PART_DELAY_SECONDS="1")
    second = workers.start("stats2", "statistics", STATS_PARTS="4", STATS_PART_DELAY_SECONDS="1")
    spread = wait(request_recompute(), timeout=90)
    assert spread.status == JobStatus.DONE, spread.error
    assert spread.parts_total == 2  # the two party committees: one part each
    assert ran_on()["reports.tasks.stats_part"] == {first, second}
    spread_figures = figures_of(spread.snapshot)

    # The same date again, computed here in one part (as make run does).
    run, _created = engine.start_run(spread.as_of, trigger="manual")
    engine.begin(run.pk, 1)
    engine.compute_part(run.pk, engine.plan_parts(1)[0])
    in_process = engine.finish_run(run.pk)
    assert figures_of(in_process) == spread_figures
    assert len(spread_figures) == 16  # eight organizations, own and subtree rows
    assert StatsRun.objects.get(pk=run.pk).status == JobStatus.DONE
