"""Celery application. Without REDIS_URL tasks run in-process (see settings)."""

import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")

app = Celery("partybuild")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


_heartbeat = None


@worker_ready.connect
def start_heartbeat(sender=None, **kwargs) -> None:
    """Every worker notes that it is alive, for /healthz (partybuild/health.py)."""
    global _heartbeat
    from .health import start_heartbeat

    _heartbeat = start_heartbeat(getattr(sender, "hostname", None) or "worker")


@worker_shutdown.connect
def stop_heartbeat(**kwargs) -> None:
    if _heartbeat is not None:
        _heartbeat.stop.set()
