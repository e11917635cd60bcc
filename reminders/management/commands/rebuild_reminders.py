import time

from django.core.management.base import BaseCommand
from django.db import transaction

from reminders import services
from reminders.sources import sources


class Command(BaseCommand):
    help = "Work every reminder out again (after an upgrade or a repair)."

    def add_arguments(self, parser):
        parser.add_argument("--source", choices=sorted(sources()), help="only this source")

    def handle(self, *args, source=None, **options):
        started = time.perf_counter()
        with transaction.atomic():
            written = services.rebuild(source)
        seconds = time.perf_counter() - started
        self.stdout.write(f"{written} reminders written in {seconds:.1f} s")
