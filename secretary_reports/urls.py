from django.urls import path

from . import views

app_name = "secretary_reports"
urlpatterns = [
    path("organizations/<int:pk>/", views.overview, name="overview"),
    path("organizations/<int:pk>/own/", views.report_edit, name="report_edit"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:pk>/issues/new/", views.issue_new, name="issue_new"),
    path("issues/<int:pk>/done/", views.issue_done, name="issue_done"),
]
