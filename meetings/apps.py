from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Organizational life")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the tasks and the receivers
