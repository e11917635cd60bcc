"""The ratio report and the flagged organizations as workbooks: every row of the list shown,
in its order, rebuilt for the job's user (partybuild.jobs.export_table)."""

import datetime

from django.utils.translation import gettext_lazy as _

from organizations import access
from organizations.models import Organization
from partybuild.jobs import Job, Table
from partybuild.sheets import Column

from . import figures as f
from .dashboards import appraisal_figures, line, sorted_by_appraisal, sorted_rows
from .dimensions import BY_NAME


def _organization(job: Job) -> Organization:
    return access.get_for_user(
        Organization.objects.all(), job.user, via="self", pk=job.params["organization"]
    )


def _snapshot(job: Job):
    snapshot = f.current_snapshot(datetime.date.fromisoformat(job.params["as_of"]))
    if snapshot is None:
        raise LookupError(f"No figures as of {job.params['as_of']}.")
    return snapshot


def ratio_table(job: Job) -> Table:
    """The ratio report: a line per organization of the level, then the organization's own
    total, each ratio in percent as the page shows it."""
    org, snapshot, params = _organization(job), _snapshot(job), job.params
    panel = f.appraisal_panel(org, datetime.date.fromisoformat(params["today"]),
                              params.get("appraisal"))  # fmt: skip
    year = panel.shown.year if panel.figures is not None else None
    rows, sort = sorted_rows(job.user, snapshot, org, params["level"], params.get("sort", "code"))
    if sort.lstrip("-") in {r.key for r in f.RATIOS if r.appraisal}:
        order = sorted_by_appraisal(rows, sort, year)
    else:
        order = list(rows.values_list("pk", flat=True))
    wide = f.scoped_figures(job.user, snapshot).select_related("organization").in_bulk(order)
    parent = (
        f.scoped_figures(job.user, snapshot).select_related("organization").get(organization=org)
    )
    shown = [wide[pk] for pk in order]
    appraised = appraisal_figures(year, [*shown, parent])
    columns = [
        Column("code", _("code"), width=12),
        Column("name", _("organization"), width=36),
        Column("members", _("party members"), width=10),
        *[Column(r.key, f"{r.label} (%)", width=12) for r in f.RATIOS],
        Column("developed", _("new members"), width=10),
    ]
    return Table(columns, [_ratio_line(line(row, appraised)) for row in shown]
                 + [_ratio_line(line(parent, appraised), total=True)])  # fmt: skip


def _ratio_line(values: dict, *, total: bool = False) -> list:
    org = values["organization"]
    name = f"{org.name}（{_('total')}）" if total else org.name
    return [org.code, name, values["members"], *values["ratios"], values["developed"]]


def flagged_table(job: Job) -> Table:
    """The organizations of the subtree with one health flag in the snapshot."""
    org, snapshot, flag = _organization(job), _snapshot(job), job.params["flag"]
    rows = (
        f.scoped_figures(job.user, snapshot, subtree=False)
        .filter(organization__ancestor_links__ancestor=org, **{flag: 1})
        .select_related("organization__parent")
        .order_by("organization__code")
    )
    columns = [
        Column("name", _("organization"), width=36),
        Column("code", _("code"), width=12),
        Column("parent", _("parent organization"), width=36),
        Column("members", _("party members"), width=10),
        Column("flag", BY_NAME[flag].label, width=14),
    ]
    return Table(columns, (
        [r.organization.name, r.organization.code,
         r.organization.parent.name if r.organization.parent else "", r.members, 1]
        for r in rows.iterator(chunk_size=2000)
    ))  # fmt: skip
