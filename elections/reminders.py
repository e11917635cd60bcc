"""Terms in the shared reminders: an organization whose term ends is reminded from the rules'
months before (6) and is overdue once the day has passed without an approved election
(approval starts the term again and moves the row on).

Each active organization with a term has one row, stored again when its term changes (an
approved election, an edit of the organization: elections.signals) and every night with the
calendar-bound sources, so that organizations imported in bulk (no save signal) are reminded
from the next day."""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Organization, Policy
from partybuild.dates import add_months
from reminders import services as store
from reminders.models import Reminder
from reminders.sources import Source

SOURCE_NAME = "elections"
TERM = "term"


def rows(organizations, months: int) -> list[dict]:
    return [
        {"kind": TERM, "organization_id": org.pk, "member_id": None, "subject_id": None,
         "subject_name": "", "period_from": org.term_elected_on, "due_on": org.term_ends_on,
         "remind_from": add_months(org.term_ends_on, -months), "expires_on": None}
        for org in organizations
        if org.term_ends_on is not None and org.is_active
    ]  # fmt: skip


def refresh(organization: Organization) -> None:
    organization = Organization.objects.get(pk=organization.pk)
    store.replace(SOURCE_NAME, rows([organization], Policy.current().election_warning_months),
                  organization_id=organization.pk)  # fmt: skip


def rebuild(today: datetime.date, batch: int = 2000) -> Iterator[list[dict]]:
    months = Policy.current().election_warning_months
    organizations = Organization.objects.active().filter(term_ends_on__isnull=False)
    last_pk = 0
    while chunk := list(organizations.filter(pk__gt=last_pk).order_by("pk")[:batch]):
        last_pk = chunk[-1].pk
        yield rows(chunk, months)


def describe(reminder: Reminder) -> str:
    return _("Term ends on %(day)s: re-election due") % {"day": reminder.due_on.isoformat()}


def link(reminder: Reminder) -> str:
    return reverse("elections:list", args=[reminder.organization_id])


SOURCE = Source(
    name=SOURCE_NAME,
    label=gettext_lazy("Elections and terms"),
    rebuild=rebuild,
    describe=describe,
    link=link,
    timed=True,
)
