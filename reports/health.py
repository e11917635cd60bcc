"""The statistics' part of /healthz: how old the newest figures are (partybuild.health)."""

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max

from partybuild.health import Check, age_in_hours, register

from .models import Snapshot


@register("statistics")
def statistics() -> Check:
    """The newest current snapshot must be younger than HEALTH_SNAPSHOT_MAX_AGE_HOURS: the
    nightly run has failed, or no worker takes the statistics queue, when it is not."""
    try:
        newest = Snapshot.objects.filter(is_current=True).aggregate(at=Max("computed_at"))["at"]
    except DatabaseError as exc:
        return Check(False, type(exc).__name__)
    if newest is None:
        return Check(False, "no figures yet")
    hours = age_in_hours(newest)
    return Check(hours <= settings.HEALTH_SNAPSHOT_MAX_AGE_HOURS, f"{hours:.1f} h old")
