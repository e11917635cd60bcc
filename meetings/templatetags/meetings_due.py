"""What a branch still has to hold in the current period (e.g. 本月尚未召开支部委员会), for the
branch page and the branch's meeting list."""

from django import template
from django.utils import timezone

from meetings.compliance import RUNNING, branch_compliance
from meetings.models import Kind

register = template.Library()


@register.inclusion_tag("meetings/_due.html")
def meetings_due(organization):
    if not organization.is_branch:
        return {"due": []}
    today = timezone.localdate()
    cells = branch_compliance([organization], today.year, today)[organization.pk].cells
    due = [
        {"label": Kind(c.kind).label, "group": c.group, "ends": c.period.end(today.year)}
        for c in cells
        if c.state == RUNNING and c.period.start(today.year) <= today
    ]
    return {"due": due, "organization": organization}
