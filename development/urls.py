from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("applicants/new/", views.applicant_new, name="applicant_new"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("import/", views.development_import_page, name="development_import"),
    path("import/template/", views.development_template, name="development_template"),
    path("calendar/", views.calendar_days, name="calendar_days"),
    path("organizations/<int:pk>/", views.board, name="board"),
    path("organizations/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/steps/<str:kind>/", views.step_new, name="step_new"),
    path("steps/<int:pk>/attachment/", views.step_attachment, name="step_attachment"),
]
