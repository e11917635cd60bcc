"""/healthz, for a load balancer or a monitor: is this instance able to serve?

Each check answers ok or not with a short detail and no data of anyone's. The database and
the broker are checked here; an app adds its own check with `register` (reports adds the age
of the statistics). Workers note a heartbeat in the cache every WORKER_HEARTBEAT_SECONDS
(partybuild/celery.py); the check wants one younger than HEALTH_WORKER_MAX_AGE_SECONDS.
"""

import contextlib
import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

HEARTBEAT_KEY = "health:worker-heartbeat"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


CHECKS: dict[str, Callable[[], Check]] = {}


def register(name: str):
    """Add a check under `name`; the function returns a Check and raises nothing."""

    def add(check: Callable[[], Check]) -> Callable[[], Check]:
        CHECKS[name] = check
        return check

    return add


def in_process() -> bool:
    """Without a broker, tasks run in the web process: no broker or worker to check."""
    return not settings.REDIS_URL


@register("database")
def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check(False, type(exc).__name__)
    return Check(True, connection.vendor)


@register("broker")
def broker() -> Check:
    if in_process():
        return Check(True, "in-process")
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except redis.RedisError as exc:
        return Check(False, type(exc).__name__)
    return Check(True, "redis")


@register("worker")
def worker() -> Check:
    if in_process():
        return Check(True, "in-process")
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as exc:  # the cache is the broker's Redis: down with it
        return Check(False, type(exc).__name__)
    if beat is None:
        return Check(False, "no heartbeat")
    age = (timezone.now() - beat["at"]).total_seconds()
    ok = age <= settings.HEALTH_WORKER_MAX_AGE_SECONDS
    return Check(ok, f"{beat['worker']} {age:.0f} s ago")


def heartbeat(worker_name: str) -> None:
    cache.set(HEARTBEAT_KEY, {"worker": worker_name, "at": timezone.now()}, timeout=None)


def start_heartbeat(worker_name: str) -> threading.Thread:
    """Note the heartbeat now and then every WORKER_HEARTBEAT_SECONDS, in a daemon thread of
    the worker's main process (it lives as long as the worker)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            # The broker away for a moment: the next beat tries again.
            with contextlib.suppress(Exception):
                heartbeat(worker_name)
            stop.wait(settings.WORKER_HEARTBEAT_SECONDS)

    thread = threading.Thread(target=beat, name="partybuild-heartbeat", daemon=True)
    thread.stop = stop
    thread.start()
    return thread


def run_checks() -> dict[str, Check]:
    return {name: check() for name, check in CHECKS.items()}


def age_in_hours(moment: datetime.datetime) -> float:
    return (timezone.now() - moment).total_seconds() / 3600
