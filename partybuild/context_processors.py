from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy


def import_limits(request) -> dict:
    """The bounds of an upload, stated on every import page."""
    return {
        "import_limits": {
            "megabytes": settings.IMPORT_MAX_BYTES // (1024 * 1024),
            "lines": settings.IMPORT_MAX_ROWS,
            "inline": settings.IMPORT_INLINE_LIMIT,
        }
    }


# The first step of every page's breadcrumbs after the start: the section it belongs to.
SECTIONS = {
    "organizations": (gettext_lazy("Organizations"), "organizations:tree"),
    "members": (gettext_lazy("Members"), "members:member_list"),
    "development": (gettext_lazy("Development"), None),  # its board is per organization
    "appraisals": (gettext_lazy("Appraisal"), "appraisals:campaign_list"),
    "meetings": (gettext_lazy("Organizational life"), "meetings:matrix"),
    "reports": (gettext_lazy("Statistics"), "reports:dashboard"),
    "jobs": (gettext_lazy("My exports"), "jobs:job_list"),
    "accounts": (gettext_lazy("Accounts"), "accounts:account_list"),
}


def section(request) -> dict:
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace not in SECTIONS:
        return {"section": None}
    label, url_name = SECTIONS[match.namespace]
    url = reverse(url_name) if url_name else ""
    return {"section": {"label": label, "url": url, "name": match.namespace}}
