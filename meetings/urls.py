from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("import/", views.meeting_import_page, name="meeting_import"),
    path("import/template/", views.meeting_template, name="meeting_template"),
    path("matrix/<int:pk>/", views.matrix, name="matrix_of"),
    path("organizations/<int:pk>/", views.meeting_list, name="meeting_list"),
    path("organizations/<int:pk>/new/", views.meeting_new, name="meeting_new"),
    path("organizations/<int:pk>/groups/", views.group_list, name="group_list"),
    path("organizations/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("groups/<int:pk>/change/", views.group_change, name="group_change"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/sign-in/", views.meeting_signin, name="meeting_signin"),
    path("<int:pk>/files/", views.meeting_file_add, name="meeting_file_add"),
    path("files/<int:pk>/", views.meeting_file, name="meeting_file"),
]
