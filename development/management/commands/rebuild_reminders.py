import time

from django.core.management.base import BaseCommand
from django.db import transaction

from development import reminders


class Command(BaseCommand):
    help = "Work out every person's running time limits again (after an upgrade or a repair)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            written = reminders.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{written} reminders written in {seconds:.1f} s")
