from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import health, signals, tasks  # noqa: F401 - registers tasks and the check

        signals.connect()
        from partybuild.statistics import provide_snapshot_reader

        from .figures import subtree_counts

        provide_snapshot_reader(subtree_counts)
