"""Reads from a read replica, for the pages that only read much: statistics, ratio reports,
exports and workbooks.

With DATABASE_REPLICA_URL set (settings), a view decorated with `reads_from_replica`, and the
work of an export job (partybuild.jobs.job_run), read the data from the replica as long as it
answers and its lag stays within REPLICA_MAX_LAG_SECONDS; otherwise from the primary, without
an error. Writes always go to the primary. Sessions, accounts, jobs and the audit trail are
always read from the primary too: a user who has just logged in, or a job just recorded, may
not have reached the replica yet.
"""

import functools
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
# Read from the primary always: what a request writes and reads back at once.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "partybuild", "accounts", "admin"})
# Seconds since the last transaction replayed, or 0 when the replica has replayed all it
# has received (an idle primary sends nothing, which is no lag).
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""

logger = logging.getLogger("partybuild.replica")
_reading = ContextVar("partybuild_replica_reads", default=False)
_state = {"ok": False, "until": 0.0}


def configured() -> bool:
    return REPLICA in settings.DATABASES


def lag_seconds() -> float:
    """The replica's lag; raises DatabaseError when it does not answer."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def available(*, fresh: bool = False) -> bool:
    """Whether reads may go to the replica now; asked again every REPLICA_CHECK_SECONDS."""
    if not configured():
        return False
    now = time.monotonic()
    if fresh or now >= _state["until"]:
        _state.update(ok=_probe(), until=now + settings.REPLICA_CHECK_SECONDS)
    return _state["ok"]


def _probe() -> bool:
    try:
        lag = lag_seconds()
    except DatabaseError as exc:
        connections[REPLICA].close()
        logger.warning("replica unavailable, reading from the primary: %s", exc)
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("replica %.0f s behind, reading from the primary", lag)
        return False
    return True


@contextmanager
def reads():
    """Within the block, reads of the data go to the replica when it is available."""
    token = _reading.set(available())
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view):
    """A view that reads from the replica. Should the replica fail in the middle of the
    request, the view is answered again from the primary (these views only read data; what
    they write, the audit and jobs, goes to the primary in its own transaction)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not available():
            return view(request, *args, **kwargs)
        try:
            with reads():
                return view(request, *args, **kwargs)
        except DatabaseError:
            if available(fresh=True):
                raise  # the replica is fine: the error is the view's own
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads inside `reads()` go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
