from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = _("Member development")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the tasks and the rules-changed receiver
