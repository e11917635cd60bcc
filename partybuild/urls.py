from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organizations.views import home

from . import views

jobs = (
    [
        path("", views.job_list, name="job_list"),
        path("<int:pk>/", views.job_detail, name="job_detail"),
        path("<int:pk>/status/", views.job_status, name="job_status"),
        path("<int:pk>/download/", views.job_download, name="job_download"),
    ],
    "jobs",
)

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organizations/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("reminders/", include("reminders.urls")),
    path("development/", include("development.urls")),
    path("appraisals/", include("appraisals.urls")),
    path("meetings/", include("meetings.urls")),
    path("dues/", include("dues.urls")),
    path("transfers/", include("transfers.urls")),
    path("community/", include("community.urls")),
    path("elections/", include("elections.urls")),
    path("training/", include("training.urls")),
    path("secretary-reports/", include("secretary_reports.urls")),
    path("assessment/", include("assessment.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include(jobs)),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
