"""A user logged in with a one-time password goes nowhere but the password page."""

from django.shortcuts import redirect
from django.urls import reverse

from .services import MUST_CHANGE


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.get(MUST_CHANGE):
            allowed = {reverse("accounts:password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith("/i18n/"):
                return redirect("accounts:password_change")
        return self.get_response(request)
