from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partybuild.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump, custom format) and the uploaded files into one dated "
        "archive, with every table's row count (partybuild/backup.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="folder for the archive")

    def handle(self, *args, output, **options):
        try:
            archive = backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
