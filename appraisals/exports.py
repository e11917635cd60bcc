"""A campaign's progress as a workbook: every sheet of the subtree shown, with its status."""

import datetime

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import access
from organizations.models import Organization
from partybuild.jobs import Job, Table
from partybuild.sheets import Column

from .models import EDITABLE, SheetStatus
from .views import visible_campaigns


def campaign_sheets(user, campaign, root: Organization, status: str):
    """The sheets of the campaign under `root` that the user may read, of one status or all."""
    sheets = access.scoped(campaign.sheets.all(), user).filter(
        organization__ancestor_links__ancestor=root
    )
    return sheets.filter(status=status) if status in SheetStatus.values else sheets


def progress_table(job: Job) -> Table:
    params = job.params
    campaign = visible_campaigns(job.user).get(pk=params["campaign"])
    root = access.get_for_user(Organization.objects, job.user, via="self",
                               pk=params["organization"])  # fmt: skip
    today = datetime.date.fromisoformat(params["today"])
    past_deadline = campaign.deadline < today
    sheets = (
        campaign_sheets(job.user, campaign, root, params.get("status", ""))
        .select_related("organization__parent")
        .annotate(members=Count("entries"))
        .order_by("organization__code")
    )
    columns = [
        Column("code", gettext_lazy("code"), width=12),
        Column("organization", gettext_lazy("organization"), width=36),
        Column("parent", gettext_lazy("parent organization"), width=36),
        Column("members", gettext_lazy("members"), width=10),
        Column("status", gettext_lazy("status"), width=12),
        Column("overdue", gettext_lazy("overdue"), width=8),
        Column("saved", gettext_lazy("saved at"), width=18),
    ]
    rows = (
        [s.organization.code, s.organization.name,
         s.organization.parent.name if s.organization.parent else "", s.members,
         str(s.get_status_display()),
         _("yes") if past_deadline and s.status in EDITABLE else _("no"),
         s.saved_at.strftime("%Y-%m-%d %H:%M") if s.saved_at else ""]
        for s in sheets
    )  # fmt: skip
    return Table(columns, rows)
