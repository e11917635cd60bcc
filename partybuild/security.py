"""Login protection: the page shown to a locked-out client."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the reason and how long to wait (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    refusal = _(
        "Too many failed logins for this account or from this address. Try again in "
        "%(minutes)s minutes, or ask your administrator to unlock the account."
    ) % {"minutes": minutes}
    context = {"form": AuthenticationForm(request), "refusal": refusal}
    return render(request, "registration/login.html", context, status=429)
