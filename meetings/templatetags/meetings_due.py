"""What a branch still has to hold in the current period (e.g. 本月尚未召开支部委员会), for the
branch's meeting list: the branch's reminders from organizational life (meetings.reminders)."""

from django import template
from django.utils import timezone

from reminders.models import Reminder
from reminders.services import due

from ..reminders import SOURCE_NAME

register = template.Library()


@register.inclusion_tag("meetings/_due.html")
def meetings_due(organization):
    if not organization.is_branch:
        return {"due": []}
    rows = Reminder.objects.filter(source=SOURCE_NAME, organization=organization)
    return {"due": list(due(rows, timezone.localdate())), "organization": organization}
