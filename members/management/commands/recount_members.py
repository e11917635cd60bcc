from django.core.management.base import BaseCommand

from members.models import OrganizationTally
from members.tallies import live_counts, tally_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the per-organization counts of party members from the registry and say "
        "how many organizations had drifted (normally none: the member services keep them)."
    )

    def handle(self, *args, **options):
        kept = {
            t.organization_id: (t.full, t.probationary)
            for t in OrganizationTally.objects.all()
            if t.full or t.probationary
        }
        live = live_counts()
        drifted = sum(1 for pk in kept.keys() | live.keys() if kept.get(pk) != live.get(pk))
        holding = tally_rebuild()
        self.stdout.write(
            f"Recounted {holding} organizations holding members; {drifted} corrected."
        )
