from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections and terms")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - a term edited by hand moves its reminder
