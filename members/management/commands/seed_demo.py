import time

from django.core.management.base import BaseCommand, CommandError

from members.demo import DEMO_PASSWORD, LARGE, Size, demo_build
from organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Build a deterministic demo dataset (a city's organs: 629 organizations, about "
        "10,000 members) and one login per role. --large builds 320,000 members in 15,001 "
        "organizations for benchmarks; --scale N that N times over (the database copies it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--large", action="store_true", help="320,000 members, 15,001 organizations"
        )
        parser.add_argument(
            "--scale", type=int, default=1,
            help="N times the large dataset (N = 10: 3.2 million people), at most 50",
        )  # fmt: skip
        parser.add_argument("--members", type=int, help="number of members (overrides the preset)")
        parser.add_argument(
            "--branches", type=int, help="number of branches (overrides the preset)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when organizations exist"
        )

    def handle(self, *args, large=False, scale=1, members=None, branches=None, if_empty=False,
               **options):  # fmt: skip
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("Data already present; demo data not loaded.")
                return
            raise CommandError(
                "The database already has organizations; seed_demo needs an empty one."
            )
        if not 1 <= scale <= 50:
            raise CommandError("--scale must be between 1 and 50.")
        size = Size(**vars(LARGE)) if large or scale > 1 else Size()
        if members is not None:
            if members < 1:
                raise CommandError("--members must be positive.")
            size.members = members
        if branches is not None:
            if branches < 2:
                raise CommandError("--branches must be at least 2.")
            size.branches = branches
        started = time.perf_counter()
        result = demo_build(size, scale=scale)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Built {result['organizations']} organizations and {result['members']} people "
            f"in {elapsed:.1f} s."
        )
        for phase, seconds in result["phases"].items():
            self.stdout.write(f"  {phase:<32} {seconds:7.1f} s")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, org in result["logins"]:
            self.stdout.write(f"  {username:<12} {role:<10} {org}")
