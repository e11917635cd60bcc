"""Statistics runs as Celery work: a chord of per-subtree parts and one finishing step.

With a broker the parts spread over the workers; without one (make run) Celery runs them
in-process, one after the other, inside the request that asked.
"""

import datetime
import time

from celery import chord, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from organizations import access
from organizations.models import Organization, OrganizationClosure
from partybuild.celery import app
from partybuild.jobs import job_run
from partybuild.models import Job, JobStatus

from . import engine
from .figures import current_snapshot
from .models import RunTrigger, StatsRun
from .yearly import write_workbook

CHANGED_KEY = "stats:data-changed-at"
DEBOUNCE_KEY = "stats:debounce"


def request_recompute(
    as_of: datetime.date | None = None, *, trigger: str = RunTrigger.MANUAL, user=None
) -> StatsRun:
    """Start a run for the date (today by default) once the caller's transaction commits;
    a run for that date already under way is returned instead of starting another."""
    as_of = as_of or timezone.localdate()
    run, created = engine.start_run(as_of, trigger=trigger, user=user)
    if created:
        transaction.on_commit(lambda: stats_run.delay(run.pk))
    return run


def wait(run: StatsRun, timeout: float, on_progress=None) -> StatsRun:
    """Poll a run until it is done or failed, or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    shown = None
    while True:
        run.refresh_from_db()
        if run.status in (JobStatus.DONE, JobStatus.FAILED) or time.monotonic() > deadline:
            return run
        if on_progress and run.progress != shown:
            shown = run.progress
            on_progress(run)
        time.sleep(0.2)


def data_changed() -> None:
    """Registry, tree or appraisal data changed: note when, and with a broker schedule one
    run after STATS_DEBOUNCE_SECONDS; changes until then ride on that run."""
    cache.set(CHANGED_KEY, timezone.now(), None)
    if app.conf.task_always_eager:
        return  # no scheduler in-process: the dashboard says the figures are older
    delay = settings.STATS_DEBOUNCE_SECONDS
    if cache.add(DEBOUNCE_KEY, True, timeout=delay):
        transaction.on_commit(lambda: stats_after_change.apply_async(countdown=delay))


def changed_since(moment: datetime.datetime | None) -> bool:
    changed = cache.get(CHANGED_KEY)
    return bool(changed and moment and changed > moment)


@shared_task(name="reports.tasks.stats_run")
def stats_run(run_id: int) -> None:
    parts = engine.plan_parts(settings.STATS_PARTS)
    engine.begin(run_id, len(parts))
    finish = stats_finish.si(run_id)
    if not parts:
        finish.delay()
        return
    chord([stats_part.si(run_id, list(p.tops)) for p in parts])(finish)


@shared_task(name="reports.tasks.stats_part")
def stats_part(run_id: int, tops: list[int]) -> int:
    try:
        if settings.STATS_PART_DELAY_SECONDS:
            time.sleep(settings.STATS_PART_DELAY_SECONDS)
        return engine.compute_part(run_id, engine.Scope(tops=tuple(tops)))
    except Exception as exc:
        engine.fail(run_id, f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="reports.tasks.stats_finish")
def stats_finish(run_id: int) -> int:
    try:
        return engine.finish_run(run_id).pk
    except Exception as exc:
        engine.fail(run_id, f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="reports.tasks.stats_nightly")
def stats_nightly() -> int:
    return request_recompute(trigger=RunTrigger.NIGHTLY).pk


@shared_task(name="reports.tasks.stats_after_change")
def stats_after_change() -> int:
    return request_recompute(trigger=RunTrigger.CHANGE).pk


def write_yearly(job: Job, stream) -> int:
    """The workbook of the job's organization and date, scoped to the job's user again."""
    organization = access.get_for_user(
        Organization.objects.all(), job.user, via="self", pk=job.params["organization"]
    )
    snapshot = current_snapshot(datetime.date.fromisoformat(job.params["as_of"]))
    if snapshot is None:
        raise LookupError(f"No figures as of {job.params['as_of']}.")
    write_workbook(stream, organization=organization, snapshot=snapshot, user=job.user)
    return OrganizationClosure.objects.filter(ancestor=organization).count()


@shared_task(name="reports.tasks.yearly_report")
def yearly_report(job_id: int) -> int:
    return job_run(job_id, write_yearly).pk
