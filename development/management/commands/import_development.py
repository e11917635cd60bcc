from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from development.importer import development_import, write_template
from members.models import Member
from partybuild import audit
from partybuild.models import Action
from partybuild.sheets import raise_refused


class Command(BaseCommand):
    help = (
        "Import historical development records (one step of one person a line) from an .xlsx "
        "file, checked against the procedure's rules in date order; all lines or none. "
        "--template FILE writes an empty template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--template", action="store_true", help="write an empty template")
        parser.add_argument("--user", help="username recorded as having entered the steps")

    def handle(self, *args, file, template=False, user=None, **options):
        if template:
            with open(file, "wb") as stream:
                write_template(stream)
            self.stdout.write(f"Template written to {file}.")
            return
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user {user!r}.")
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with stream:
            result = development_import(file=stream, members=Member.objects.all(), by=by)
        if not result.ok:
            raise_refused(self, result)
        audit.record(None, Action.IMPORT, username="(command line)", summary="import_development",
                     file=file, created=result.created)  # fmt: skip
        self.stdout.write(f"Imported {result.created} steps.")
