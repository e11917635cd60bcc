from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("organizations/<int:pk>/", views.terms, name="list"),
    path("organizations/<int:pk>/new/", views.election_new, name="election_new"),
    path("<int:pk>/", views.election, name="election"),
    path("<int:pk>/decide/", views.election_decide, name="election_decide"),
]
