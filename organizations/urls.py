from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.organization_search, name="organization_search"),
    path("lookup/", views.organization_lookup, name="organization_lookup"),
    path("new/", views.organization_create, name="organization_create"),
    path("rules/", views.policy_edit, name="policy_edit"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/children/", views.tree_children, name="tree_children"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("<int:pk>/dissolve/", views.organization_dissolve, name="organization_dissolve"),
    path("<int:pk>/positions/new/", views.position_add, name="position_add"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
]
