from django.core.management.base import BaseCommand, CommandError

from members.roster import roster_import
from organizations.models import Organization
from partybuild import audit
from partybuild.models import Action
from partybuild.sheets import raise_refused


class Command(BaseCommand):
    help = (
        "Import members from a roster .xlsx file (the template of the member import page). "
        "Every line is checked; if any is wrong nothing is imported and each wrong line is "
        "listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roster .xlsx file")

    def handle(self, *args, file, **options):
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with stream:
            result = roster_import(file=stream, organizations=Organization.objects.all())
        if not result.ok:
            raise_refused(self, result)
        audit.record(None, Action.IMPORT, username="(command line)", summary="import_members",
                     file=file, created=result.created)  # fmt: skip
        self.stdout.write(f"Imported {result.created} members.")
