from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("new/", views.member_create, name="member_create"),
    path("export/", views.member_export, name="member_export"),
    path("import/", views.roster_import, name="roster_import"),
    path("import/template/", views.roster_template, name="roster_template"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/status/", views.member_status, name="member_status"),
    path("<int:pk>/move/", views.member_move, name="member_move"),
    path("<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("<int:pk>/id-number/", views.member_id_reveal, name="member_id_reveal"),
]
