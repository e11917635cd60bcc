from django.urls import path

from . import dashboards

app_name = "reports"
urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path("<int:pk>/", dashboards.dashboard, name="dashboard_of"),
    path("<int:pk>/recompute/", dashboards.recompute, name="recompute"),
    path("<int:pk>/flags/<str:flag>/", dashboards.flagged, name="flagged"),
    path("<int:pk>/flags/<str:flag>/export/", dashboards.flagged_export, name="flagged_export"),
    path("<int:pk>/yearly/", dashboards.yearly, name="yearly"),
    path("ratios/", dashboards.ratios, name="ratios"),
    path("<int:pk>/ratios/", dashboards.ratios, name="ratios_of"),
    path("<int:pk>/ratios/export/", dashboards.ratios_export, name="ratios_export"),
    path("runs/<int:pk>/", dashboards.run_status, name="run_status"),
]
