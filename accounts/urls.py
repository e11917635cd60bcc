from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("new/", views.account_create, name="account_create"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/roles/<int:binding>/revoke/", views.role_revoke, name="role_revoke"),
    path("<int:pk>/active/", views.account_active, name="account_active"),
    path("<int:pk>/password/", views.password_reset, name="password_reset"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("act-as/", views.act_as, name="act_as"),
    path("audit/", views.audit_log, name="audit_log"),
]
