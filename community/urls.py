from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("organizations/<int:pk>/", views.overview, name="overview"),
    path("members/<int:pk>/", views.member_page, name="member"),
    path("members/<int:pk>/report/", views.report_new, name="report_new"),
    path("members/<int:pk>/evaluation/", views.evaluation_new, name="evaluation_new"),
    path("reports/<int:pk>/activity/", views.activity_new, name="activity_new"),
    path("reports/<int:pk>/end/", views.report_close, name="report_end"),
]
