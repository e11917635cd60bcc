"""The reminders list as a workbook: every limit due in the job user's scope (or subtree)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import access
from organizations.models import Organization
from partybuild.jobs import Job, Table
from partybuild.sheets import DATE, Column

from .progress import due_reminders


def reminder_table(job: Job) -> Table:
    org = None
    if job.params.get("organization"):
        org = access.get_for_user(
            Organization.objects, job.user, via="self", pk=job.params["organization"]
        )
    today = datetime.date.fromisoformat(job.params["today"])
    columns = [
        Column("name", gettext_lazy("name"), width=12),
        Column("organization", gettext_lazy("organization"), width=36),
        Column("status", gettext_lazy("status"), width=14),
        Column("limit", gettext_lazy("time limit"), width=30),
        Column("due", gettext_lazy("due date"), DATE, width=12),
        Column("overdue", gettext_lazy("overdue"), width=8),
    ]
    rows = (
        [due.member.name, due.organization.name, str(due.member.get_status_display()),
         str(due.label), due.due_on, _("yes") if due.due_on < today else _("no")]
        for due in due_reminders(job.user, today, org).iterator(chunk_size=2000)
    )  # fmt: skip
    return Table(columns, rows)
