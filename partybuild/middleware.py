"""Session limits and caching rules for every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import audit
from .models import Action

STARTED, SEEN = "partybuild_session_started", "partybuild_session_seen"
SEEN_RESOLUTION = 60  # seconds: the last-seen time is written at most once a minute


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On login (user_logged_in): the session's lifetime and idle time count from now."""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED] = request.session[SEEN] = time.time()


class SessionLimitsMiddleware:
    """End a signed-in session after SESSION_IDLE_SECONDS without a request, and
    SESSION_MAX_SECONDS after it began, whatever happens in between."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started, seen = session.setdefault(STARTED, now), session.get(SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            if idle or now - started > settings.SESSION_MAX_SECONDS:
                return self._expire(request, "idle" if idle else "lifetime")
            if now - seen >= SEEN_RESOLUTION or SEEN not in session:
                session[SEEN] = now
        return self.get_response(request)

    def _expire(self, request, why: str):
        audit.record(request, Action.SESSION_EXPIRED, summary=why)
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(request, _("Your session has ended. Please log in again."))
        return redirect_to_login(request.get_full_path())


class NoStoreMiddleware:
    """Pages of signed-in users and every download are never kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = "attachment" in response.get("Content-Disposition", "")
        if download or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response
