from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartybuildConfig(AppConfig):
    """The mechanisms every app shares: the audit trail, sessions' limits, sheets."""

    name = "partybuild"
    verbose_name = _("Party building")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import audit, lookups, middleware

        audit.connect_signals()
        lookups.register()
        user_logged_in.connect(middleware.start_session_clock, dispatch_uid="session-clock")
