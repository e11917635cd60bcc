"""Session limits and caching rules for every request."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
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


_HUGE_NUMBER = re.compile(r"(?:^|/)\d{19,}(?:/|$)")
MAX_QUERY_VALUE = 2000


class SaneInputMiddleware:
    """Input no page can mean answers 400 (or 404) here instead of an error deep inside:
    NUL bytes (PostgreSQL refuses them in text), numbers beyond any database key (they
    overflow bigint), and absurdly long query values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _HUGE_NUMBER.search(request.path):
            raise Http404
        for values in request.GET.lists():
            for value in values[1]:
                if "\x00" in value or len(value) > MAX_QUERY_VALUE:
                    return HttpResponseBadRequest(_("This address holds invalid characters."))
                if value.isdigit() and len(value) > 18:
                    return HttpResponseBadRequest(_("This address holds invalid characters."))
        return self.get_response(request)


class FriendlyErrorPagesMiddleware:
    """The 404 and 500 pages in the user's language, fitting a phone, also with DEBUG on
    (`make run`), where Django would answer with its technical pages in English. The
    traceback of a 500 is still logged (django.request) for the developer's console."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        technical = settings.DEBUG and response.status_code in (404, 500)
        if technical and response.get("Content-Type", "").startswith("text/html"):
            template = "404.html" if response.status_code == 404 else "500.html"
            return render(request, template, status=response.status_code)
        return response
