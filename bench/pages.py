"""Every page, for three roles, on the large dataset: server time and queries, against a
budget (100 ms for the pages used every day, 200 ms for the others).

Run on PostgreSQL after bench/foundation.py has built the large dataset (the other benches
add the year's meetings, dues, transfers and the rest):
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/pages.py [--repeat 5] [--only SUBSTRING] [--over]

For each page and role: the median of `--repeat` requests (Django test client, in-process:
view, queries, template), its query count, and OVER when above the budget. The load average
is printed beside, and the GET pages of the URL map that the list does not cover, so that a
new page cannot be forgotten. Exit status 1 when a page is over its budget.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402
from foundation import ensure_database, logged_in  # noqa: E402

from organizations.models import OrganizationClosure, UserRole  # noqa: E402

DAILY, OTHER = 100, 200  # ms
ROLES = ("committee", "pcstaff", "secretary")


@dataclass
class Scope:
    """What a role's pages are about: its organization and objects found in its subtree."""

    username: str
    org: object

    def below(self, model, field: str = "organization", **filters):
        """The first object of `model` whose `field` lies in the scope's subtree."""
        subtree = OrganizationClosure.objects.filter(ancestor=self.org).values("descendant")
        return model.objects.filter(**{f"{field}__in": subtree}, **filters).order_by("pk").first()


def objects(scope: Scope) -> dict:
    """The objects the pages of one role show; None where the dataset has none."""
    from appraisals.models import Campaign, Sheet
    from assessment.models import Scheme
    from dues.models import Payment
    from elections.models import Election
    from meetings.models import Meeting
    from members.choices import Status
    from members.models import Member
    from organizations.models import Kind, Organization
    from secretary_reports.models import Report
    from training.models import TrainingClass
    from transfers.models import Floating, Letter

    member = scope.below(Member, status=Status.FULL)
    return {
        "org": scope.org,
        "member": member,
        "applicant": scope.below(Member, status=Status.ACTIVIST),
        "campaign": Campaign.objects.order_by("-pk").first(),
        "sheet": scope.below(Sheet),
        "meeting": scope.below(Meeting),
        "payment": scope.below(Payment, "member__organization"),
        "letter": scope.below(Letter, "sender"),
        "floating": scope.below(Floating, "member__organization"),
        "election": scope.below(Election),
        "training": scope.below(TrainingClass, "organizer"),
        "report": scope.below(Report),
        "scheme": Scheme.objects.order_by("-pk").first(),
        "assessed": scope.below(Organization, "pk", kind=Kind.PARTY_COMMITTEE),
    }


# (label, url name, argument kinds, query string, budget)
PAGES = [
    ("home", "home", (), "", DAILY),
    ("tree", "organizations:tree", (), "", DAILY),
    ("tree: children", "organizations:tree_children", ("org",), "", DAILY),
    ("organization page", "organizations:organization_detail", ("org",), "", DAILY),
    ("organization search", "organizations:organization_search", (), "?q=第一", OTHER),
    ("organization picker", "organizations:organization_lookup", (), "?q=第一", DAILY),
    ("organization edit", "organizations:organization_edit", ("org",), "", OTHER),
    ("rules", "organizations:policy_edit", (), "", OTHER),
    ("member list", "members:member_list", (), "", DAILY),
    ("member list: name search", "members:member_list", (), "?q=王伟", DAILY),
    ("member list: initials", "members:member_list", (), "?q=wj", OTHER),
    ("member list: women under 35", "members:member_list", (), "?gender=F&age_max=35", OTHER),
    ("member page", "members:member_detail", ("member",), "", DAILY),
    ("member edit", "members:member_edit", ("member",), "", OTHER),
    ("member new", "members:member_create", (), "", OTHER),
    ("roster import", "members:roster_import", (), "", OTHER),
    ("reminders", "reminders:list", (), "", DAILY),
    ("reminders: overdue", "reminders:list", (), "?overdue=1", OTHER),
    ("development board", "development:board", ("org",), "", DAILY),
    ("development approvals", "development:approvals", (), "", OTHER),
    ("development person", "development:person", ("applicant",), "", DAILY),
    ("development plan", "development:plan_edit", ("org",), "", OTHER),
    ("applicant new", "development:applicant_new", (), "", OTHER),
    ("campaigns", "appraisals:campaign_list", (), "", OTHER),
    ("campaign page", "appraisals:campaign_detail", ("campaign",), "", OTHER),
    ("appraisal grid", "appraisals:sheet_edit", ("sheet",), "", DAILY),
    ("meetings matrix", "meetings:matrix_of", ("org",), "", OTHER),
    ("meetings list", "meetings:meeting_list", ("org",), "", DAILY),
    ("party groups", "meetings:group_list", ("org",), "", OTHER),
    ("attendance", "meetings:attendance", ("org",), "", OTHER),
    ("meeting page", "meetings:meeting_detail", ("meeting",), "", DAILY),
    ("meeting new", "meetings:meeting_new", ("org",), "", OTHER),
    ("dues collect", "dues:collect", ("org",), "", DAILY),
    ("dues collection report", "dues:collection", ("org",), "", OTHER),
    ("dues arrears", "dues:arrears", ("org",), "", OTHER),
    ("dues bases", "dues:bases", ("org",), "", OTHER),
    ("dues publication", "dues:publication", ("org",), "", OTHER),
    ("dues member", "dues:member", ("member",), "", DAILY),
    ("dues receipt", "dues:receipt", ("payment",), "", OTHER),
    ("transfer letters", "transfers:letters", ("org",), "", OTHER),
    ("floating members", "transfers:floating_list", ("org",), "", OTHER),
    ("transfers of a member", "transfers:member", ("member",), "", OTHER),
    ("letter", "transfers:letter", ("letter",), "", OTHER),
    ("floating record", "transfers:floating", ("floating",), "", OTHER),
    ("incoming letter new", "transfers:incoming_new", (), "", OTHER),
    ("community overview", "community:overview", ("org",), "", OTHER),
    ("community: not yet reported", "community:overview", ("org",), "?missing=1", OTHER),
    ("community member", "community:member", ("member",), "", OTHER),
    ("terms and elections", "elections:list", ("org",), "", OTHER),
    ("election", "elections:election", ("election",), "", OTHER),
    ("training classes", "training:classes", ("org",), "", OTHER),
    ("study hours", "training:hours", ("org",), "", OTHER),
    ("training class", "training:training", ("training",), "", OTHER),
    ("secretaries' reports", "secretary_reports:overview", ("org",), "", OTHER),
    ("secretary's report", "secretary_reports:report", ("report",), "", OTHER),
    ("assessment schemes", "assessment:schemes", ("org",), "", OTHER),
    ("assessment scheme", "assessment:scheme", ("scheme",), "", OTHER),
    ("assessment sheet", "assessment:sheet", ("scheme", "assessed"), "", OTHER),
    ("dashboard", "reports:dashboard_of", ("org",), "", DAILY),
    ("ratio report", "reports:ratios_of", ("org",), "", OTHER),
    ("flagged organizations", "reports:flagged", ("org", "flag_too_small"), "", OTHER),
    ("my exports", "jobs:job_list", (), "", OTHER),
    ("accounts", "accounts:account_list", (), "", OTHER),
    ("audit log", "accounts:audit_log", (), "", OTHER),
]
# Not pages: downloads, JSON, forms of one action (their GET shows a small form), redirects.
NOT_PAGES = {
    "login", "logout", "set_language", "healthz", "organizations:organization_create",
    "reminders:export", "members:member_export", "members:roster_template",
    "development:development_template", "development:calendar_days",
    "meetings:meeting_template", "dues:bases_template", "dues:bank_template",
    "jobs:job_status", "jobs:job_download", "reports:run_status", "reports:dashboard",
    "reports:ratios", "meetings:matrix",
}  # fmt: skip


def url_of(name: str, kinds: tuple, query: str, found: dict) -> str | None:
    args = []
    for kind in kinds:
        if kind in found:
            if found[kind] is None:
                return None
            args.append(found[kind].pk)
        else:
            args.append(kind)  # a literal argument (a flag's name)
    return reverse(name, args=args) + query


def time_page(client, url: str, repeat: int) -> tuple[float, int, int]:
    client.get(url)  # warm the caches
    times, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    return statistics.median(times), queries, status


def uncovered() -> list[str]:
    """GET pages of the URL map that PAGES does not time (admin aside)."""
    covered = {name for _l, name, *_rest in PAGES} | NOT_PAGES

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    yield from walk(
                        p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else "")
                    )
            elif isinstance(p, URLPattern) and p.name:
                yield namespace + p.name

    return sorted(
        n for n in walk(get_resolver().url_patterns) if n not in covered and not _is_action(n)
    )


ACTION_WORDS = ("_new", "_add", "_end", "_decide", "_approve", "_edit", "_import", "_dissolve",
                "_reveal", "_status", "_move", "_leave", "_export", "_template", "_print",
                "_receive", "_refuse", "_withdraw", "_return", "_cancel", "_conclude", "_file",
                "_signin", "_change", "_revoke", "_active", "_reset", "act_as", "recompute",
                "_fill", "_copy", "_done", "evaluate", "complete", "steps", "attachment",
                "opening", "statement", "yearly", "password_change", "account_create",
                "_create", "bank_import", "payment_new", "basis_new", "excuse_new", "lapse_new",
                "job_detail", "account_detail", "assessment:export")  # fmt: skip


def _is_action(name: str) -> bool:
    return any(word in name for word in ACTION_WORDS)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--over", action="store_true", help="print only pages over budget")
    options = parser.parse_args()
    ensure_database()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<34} {'role':<10} {'median':>9} {'queries':>7} {'budget':>7}")
    over = 0
    for username in ROLES:
        client = logged_in(username)
        scope = Scope(username, UserRole.objects.get(user__username=username).organization)
        found = objects(scope)
        for label, name, kinds, query, budget in PAGES:
            if options.only and options.only not in label:
                continue
            url = url_of(name, kinds, query, found)
            if url is None:
                print(f"{label:<34} {username:<10} {'(no such object in the data)':>26}")
                continue
            median, queries, status = time_page(client, url, options.repeat)
            if status != 200:  # a page of another role (a branch's page, the city's rules)
                if not options.over:
                    note = f"not for this role (HTTP {status})"
                    print(f"{label:<34} {username:<10} {note:>26}")
                continue
            late = median > budget
            over += late
            if late or not options.over:
                flag = "  OVER" if late else ""
                print(
                    f"{label:<34} {username:<10} {median:7.1f} ms {queries:7d} {budget:5d} ms{flag}"
                )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    missing = uncovered()
    if missing:
        print("GET pages not timed here:", ", ".join(missing))
    print(f"{over} page(s) over budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
