"""The reminders list as a workbook: everything due in the job user's scope (or subtree)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import access
from organizations.models import Organization
from partybuild.jobs import Job, Table
from partybuild.sheets import DATE, Column

from .services import in_scope


def reminder_table(job: Job) -> Table:
    org = None
    if job.params.get("organization"):
        org = access.get_for_user(
            Organization.objects, job.user, via="self", pk=job.params["organization"]
        )
    today = datetime.date.fromisoformat(job.params["today"])
    columns = [
        Column("who", gettext_lazy("name"), width=16),
        Column("organization", gettext_lazy("organization"), width=36),
        Column("status", gettext_lazy("status"), width=14),
        Column("limit", gettext_lazy("time limit"), width=30),
        Column("due", gettext_lazy("due date"), DATE, width=12),
        Column("overdue", gettext_lazy("overdue"), width=8),
    ]
    due = in_scope(job.user, today, org, job.params.get("source", ""))
    rows = (
        [r.who, r.organization.name, str(r.member.get_status_display()) if r.member_id else "",
         str(r.label), r.due_on, _("yes") if r.due_on < today else _("no")]
        for r in due.iterator(chunk_size=2000)
    )  # fmt: skip
    return Table(columns, rows)
