from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from partybuild.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `backup` into an empty database (the configured one, or "
        "--database-url) and its files into MEDIA_ROOT (or --media-root); checks every "
        "table's row count against the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="restore into this database instead")
        parser.add_argument("--media-root", help="restore the files here instead")

    def handle(self, *args, archive, database_url=None, media_root=None, **options):
        target = (
            Target.from_url(database_url)
            if database_url
            else Target.from_settings(connections["default"].settings_dict)
        )
        try:
            done = restore(
                Path(archive), target, media_root=Path(media_root or settings.MEDIA_ROOT)
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {done.tables} tables, {done.rows} rows, {done.files} files; "
            "every row count matches the archive."
        )
