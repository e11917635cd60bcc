from django.core.management.base import BaseCommand, CommandError

from organizations.importer import organizations_import, write_template
from partybuild import audit
from partybuild.models import Action
from partybuild.sheets import raise_refused


class Command(BaseCommand):
    help = (
        "Import an organization tree from an .xlsx file (columns: code, name, kind, parent "
        "code, unit, founded on, term elected on, term years). Every line is checked; if any "
        "is wrong nothing is imported and each wrong line is listed. --template FILE writes "
        "an empty template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file to import (or to write with --template)")
        parser.add_argument("--template", action="store_true", help="write an empty template")

    def handle(self, *args, file, template=False, **options):
        if template:
            with open(file, "wb") as stream:
                write_template(stream)
            self.stdout.write(f"Template written to {file}.")
            return
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with stream:
            result = organizations_import(file=stream)
        if not result.ok:
            raise_refused(self, result)
        audit.record(None, Action.IMPORT, username="(command line)", summary="import_organizations",
                     file=file, created=result.created)  # fmt: skip
        self.stdout.write(f"Imported {result.created} organizations.")
