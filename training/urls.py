from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("organizations/<int:pk>/", views.classes, name="classes"),
    path("organizations/<int:pk>/new/", views.class_new, name="class_new"),
    path("organizations/<int:pk>/hours/", views.hours, name="hours"),
    path("<int:pk>/", views.training, name="training"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/steps/", views.steps, name="steps"),
]
