from django.core.management.base import BaseCommand

from members.tallies import kept_counts, live_counts, tally_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the per-organization counts of people by status from the registry and say "
        "how many organizations had drifted (normally none: the member services keep them)."
    )

    def handle(self, *args, **options):
        kept, live = kept_counts(), live_counts()
        drifted = sum(1 for pk in kept.keys() | live.keys() if kept.get(pk) != live.get(pk))
        holding = tally_rebuild()
        self.stdout.write(
            f"Recounted {holding} organizations holding members; {drifted} corrected."
        )
