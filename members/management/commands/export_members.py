import time

from django.core.management.base import BaseCommand, CommandError

from members.models import Member
from members.roster import write_roster
from organizations.models import Organization
from partybuild import audit
from partybuild.models import Action


class Command(BaseCommand):
    help = (
        "Export the current members of an organization and everything below it to an .xlsx "
        "roster in the import template's layout. ID numbers are masked unless --full-id-numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file to write")
        parser.add_argument("--organization", required=True, help="organization code")
        parser.add_argument("--full-id-numbers", action="store_true", help="do not mask ID numbers")

    def handle(self, *args, file, organization, full_id_numbers=False, **options):
        org = Organization.objects.filter(code=organization).first()
        if org is None:
            raise CommandError(f"No organization with code {organization!r}.")
        members = Member.objects.current().filter(organization__ancestor_links__ancestor=org)
        started = time.perf_counter()
        try:
            with open(file, "wb") as stream:
                count = write_roster(stream, members, full_ids=full_id_numbers)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror}") from exc
        elapsed = time.perf_counter() - started
        audit.record(
            None, Action.EXPORT, obj=org, summary="export_members", username="(command line)",
            organization_id=org.pk, rows=count, full_id_numbers=full_id_numbers, file=file,
        )  # fmt: skip
        self.stdout.write(f"Exported {count} members of {org.name} to {file} in {elapsed:.1f} s.")
