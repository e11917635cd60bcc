from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("organizations/<int:pk>/", views.schemes, name="schemes"),
    path("organizations/<int:pk>/new/", views.scheme_new, name="scheme_new"),
    path("<int:pk>/", views.scheme, name="scheme"),
    path("<int:pk>/fill/", views.scheme_fill, name="scheme_fill"),
    path("<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/organizations/<int:org>/", views.sheet, name="sheet"),
]
