"""Party dues in the shared reminders: a branch whose month is not yet collected (shown
from the 20th to the month's end) and a member reaching three, then six, consecutive
months unpaid (the six only without a good reason, when the branch must decide).

Rows are stored again for a branch after its payments and every night
(reminders.tasks.rebuild_timed), when the month moves on.
"""

import calendar
import datetime
from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import BRANCH_KINDS, Organization, Policy
from reminders import services as store
from reminders.models import Reminder
from reminders.sources import Source

from .arrears import arrears_where
from .models import Due
from .owing import OWING, add_months, month_of

SOURCE_NAME = "dues"
UNCOLLECTED, ARREARS3, ARREARS6 = "uncollected", "arrears3", "arrears6"
COLLECT_FROM_DAY = 20  # a month's collection is reminded from this day to its end
FIRST_WARNING = 3  # months unpaid


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def duties(branch_ids: list[int], today: datetime.date, limit: int) -> list[dict]:
    month = month_of(today)
    unpaid = (
        Due.objects.filter(organization_id__any_of=branch_ids, month=month, paid_on__isnull=True)
        .values("organization_id").annotate(count=Count("id")).order_by()
    )  # fmt: skip
    rows = [
        {"kind": UNCOLLECTED, "organization_id": row["organization_id"], "member_id": None,
         "subject_id": row["count"], "subject_name": "", "period_from": month,
         "due_on": month_end(month), "remind_from": month.replace(day=COLLECT_FROM_DAY),
         "expires_on": month_end(month)}
        for row in unpaid
    ]  # fmt: skip
    for arrears in arrears_where(
        today, member__organization_id__any_of=branch_ids, member__status__in=OWING
    ):
        if arrears.running < FIRST_WARNING or arrears.excuse is not None:
            continue
        kind = ARREARS6 if arrears.listed else ARREARS3
        reached = add_months(arrears.run_from, limit if arrears.listed else FIRST_WARNING)
        rows.append({
            "kind": kind, "organization_id": arrears.organization_id,
            "member_id": arrears.member_id, "subject_id": arrears.running, "subject_name": "",
            "period_from": arrears.run_from, "due_on": add_months(arrears.run_from, limit),
            "remind_from": reached, "expires_on": None,
        })  # fmt: skip
    return rows


def refresh(branch: Organization, today: datetime.date | None = None) -> None:
    """Store the branch's rows again (after payments, a good reason, a decision)."""
    today = today or timezone.localdate()
    rows = duties([branch.pk], today, Policy.current().dues_arrears_months)
    store.replace(SOURCE_NAME, rows, organization_id=branch.pk)


def rebuild(today: datetime.date, batch: int = 2000) -> Iterator[list[dict]]:
    limit = Policy.current().dues_arrears_months
    branches = Organization.objects.filter(kind__in=BRANCH_KINDS).order_by("pk")
    last_pk = 0
    while chunk := list(branches.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch]):
        last_pk = chunk[-1]
        yield duties(chunk, today, limit)


def describe(reminder: Reminder) -> str:
    if reminder.kind == UNCOLLECTED:
        return _("Dues of this month: %(count)s members have not paid") % {
            "count": reminder.subject_id}  # fmt: skip
    if reminder.kind == ARREARS6:
        return _("%(months)s consecutive months of dues unpaid: the branch must decide") % {
            "months": reminder.subject_id}  # fmt: skip
    return _("%(months)s consecutive months of dues unpaid") % {"months": reminder.subject_id}


def link(reminder: Reminder) -> str:
    if reminder.member_id:
        return reverse("dues:member", args=[reminder.member_id])
    return reverse("dues:collect", args=[reminder.organization_id])


SOURCE = Source(
    name=SOURCE_NAME,
    label=gettext_lazy("Party dues"),
    rebuild=rebuild,
    describe=describe,
    link=link,
    timed=True,
)
