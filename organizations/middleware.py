"""The binding a signed-in user acts in, taken from the session for each request."""

from . import access

SESSION_KEY = "partybuild_acting_role"


class ActingRoleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            access.act_as(request.user, request.session.get(SESSION_KEY))
        return self.get_response(request)
