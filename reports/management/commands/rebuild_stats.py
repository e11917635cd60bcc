import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.management.arguments import as_of_date
from reports.models import Figures, JobStatus, RunTrigger, StatsRun
from reports.tasks import request_recompute, wait


class Command(BaseCommand):
    help = (
        "Recompute the statistics of every organization as of a date (today by default), "
        "through the Celery workers when a broker is configured, and wait for the result."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=as_of_date, help="the date counted, YYYY-MM-DD")
        parser.add_argument(
            "--timeout", type=int, default=600, help="seconds to wait for the workers"
        )

    def handle(self, *args, as_of=None, timeout=600, **options):
        as_of = as_of or timezone.localdate()
        started = time.perf_counter()
        run = request_recompute(as_of, trigger=RunTrigger.COMMAND)
        run = wait(run, timeout, on_progress=self._progress)
        elapsed = time.perf_counter() - started
        if run.status != JobStatus.DONE:
            raise CommandError(f"Run #{run.pk} {run.status}: {run.error or 'timed out'}")
        rows = Figures.objects.filter(snapshot__run=run, subtree=True)
        top = rows.filter(organization__parent__isnull=True)
        members = sum(top.values_list("members", flat=True))
        self.stdout.write(
            f"Statistics as of {as_of.isoformat()} (run #{run.pk}, {run.parts_total} parts): "
            f"{rows.count()} organizations, {members} party members, in {elapsed:.1f} s."
        )

    def _progress(self, run: StatsRun) -> None:
        self.stdout.write(f"  {run.progress}% ({run.parts_done}/{run.parts_total} parts)")
