from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretaryReportsConfig(AppConfig):
    name = "secretary_reports"
    verbose_name = _("Secretaries' yearly reports")
