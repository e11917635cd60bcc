"""What is due and overdue, from every source, in the user's scope."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations.models import Organization
from partybuild.jobs import export_table
from partybuild.paging import CountedPaginator

from . import services
from .sources import sources


def _filters(request: HttpRequest, data) -> tuple[Organization | None, str]:
    """The subtree and the source asked for (404 for an organization out of scope)."""
    org = None
    if data.get("organization"):
        if not data["organization"].isdigit():
            raise Http404
        org = access.get_for_user(
            Organization.objects, request.user, via="self", pk=data["organization"]
        )
    source = data.get("source", "")
    return org, source if source in sources() else ""


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    """What is due or overdue in the user's scope, or in one organization's subtree."""
    org, source = _filters(request, request.GET)
    today = timezone.localdate()
    due = services.in_scope(request.user, today, org, source)
    count = services.count_of(due, today)
    page = CountedPaginator(due, 100, count=count).get_page(request.GET.get("page"))
    query = "&".join(
        f"{k}={v}" for k, v in (("organization", org.pk if org else ""), ("source", source)) if v
    )
    return render(request, "reminders/list.html", {
        "page": page, "org": org, "source": source, "query": query,
        "sources": [(s.name, s.label) for s in sources().values()],
    })  # fmt: skip


@login_required
@require_POST
def reminder_export(request: HttpRequest) -> HttpResponse:
    """The reminders list as a workbook, every line of it."""
    org, source = _filters(request, request.POST)
    today = timezone.localdate()
    role = access.user_role(request.user)
    scope = org or (role.organization if role else None)
    return export_table(
        request, table="reminders.exports.reminder_table", kind="reminders_export",
        title=_("Due and overdue"), scope=scope.name if scope else "",
        rows=services.in_scope(request.user, today, org, source).count(),
        organization_id=scope.pk if scope else None,
        params={"organization": org.pk if org else None, "source": source,
                "today": today.isoformat()},
    )  # fmt: skip
