"""Meetings a branch still has to hold in the current period: a source of reminders.

For every active branch, each required kind (and each party group, for group meetings) not
yet held in the period running today, or in the next one, is a row: shown from the first day
of the period's last month ("本月尚未召开支部委员会"; a quarterly kind in the quarter's third
month), due on the period's last day, no longer shown once the period is over (the missed
period is then red in the compliance matrix). The next period's rows are stored beforehand
so that the reminders move on at midnight even before the nightly rebuild
(reminders.tasks.rebuild_timed) stores the periods after them.
"""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import BRANCH_KINDS, Organization, Policy
from reminders import services as store
from reminders.models import Reminder
from reminders.sources import Source

from .compliance import Period, YearFacts, frequencies_of, periods
from .models import Kind

SOURCE_NAME = "meetings"


def duties(
    branches: list[Organization], day: datetime.date, policy: Policy | None = None
) -> list[dict]:
    """The rows of the branches as of the day (this period's and the next's)."""
    frequencies = frequencies_of(policy or Policy.current())
    wanted = [(kind, *when) for kind, months in frequencies.items()
              for when in _this_and_next(periods(months), day)]  # fmt: skip
    ids = [b.pk for b in branches]
    facts = {
        year: YearFacts.load(ids, year, frequencies,
                             only=[(kind, p) for kind, y, p in wanted if y == year])
        for year in {year for _kind, year, _period in wanted}
    }  # fmt: skip
    rows = []
    for branch in branches:
        for kind, year, period in wanted:
            for group_id, name in facts[year].subjects(kind, branch.pk, period):
                if not facts[year].is_held(branch.pk, kind, group_id, period):
                    rows.append(_row(branch, kind, year, period, group_id, name))
    return rows


def _this_and_next(kind_periods: tuple[Period, ...], day: datetime.date):
    here = next(i for i, p in enumerate(kind_periods) if p.last_month >= day.month)
    yield day.year, kind_periods[here]
    if here + 1 < len(kind_periods):
        yield day.year, kind_periods[here + 1]
    else:
        yield day.year + 1, kind_periods[0]


def _row(branch, kind, year, period, group_id, name) -> dict:
    end = period.end(year)
    return {
        "kind": kind, "organization_id": branch.pk, "member_id": None, "subject_id": group_id,
        "subject_name": name, "period_from": period.start(year), "due_on": end,
        "remind_from": end.replace(day=1), "expires_on": end,
    }  # fmt: skip


def refresh(organization: Organization) -> None:
    """Store the branch's rows again (after a meeting, a group or its committee changed)."""
    branch = Organization.objects.get(pk=organization.pk)
    rows = []
    if branch.is_branch and branch.status == "active":
        rows = duties([branch], timezone.localdate())
    store.replace(SOURCE_NAME, rows, organization=branch)


def rebuild(today: datetime.date, batch: int = 2000) -> Iterator[list[dict]]:
    policy = Policy.current()
    branches = Organization.objects.filter(kind__in=BRANCH_KINDS, status="active").order_by("pk")
    last_pk = 0
    while chunk := list(branches.filter(pk__gt=last_pk)[:batch]):
        last_pk = chunk[-1].pk
        yield duties(chunk, today, policy)


PERIOD_WORDS = {
    1: gettext_lazy("%(kind)s not yet held this month"),
    3: gettext_lazy("%(kind)s not yet held this quarter"),
    6: gettext_lazy("%(kind)s not yet held this half-year"),
    12: gettext_lazy("%(kind)s not yet held this year"),
}


def describe(reminder: Reminder) -> str:
    """E.g. 本月尚未召开支部委员会."""
    kind = Kind(reminder.kind).label
    words = PERIOD_WORDS.get(reminder.period_months)
    if words is None:
        return _("%(kind)s not yet held this period") % {"kind": kind}
    return words % {"kind": kind}


def link(reminder: Reminder) -> str:
    query = {"kind": reminder.kind}
    if reminder.subject_id:
        query["group"] = reminder.subject_id
    url = reverse("meetings:meeting_new", args=[reminder.organization_id])
    return f"{url}?{urlencode(query)}"


SOURCE = Source(
    name=SOURCE_NAME,
    label=gettext_lazy("Organizational life"),
    rebuild=rebuild,
    describe=describe,
    link=link,
    timed=True,
    subjects={"*": "meetings.PartyGroup"},
)
