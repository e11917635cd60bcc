"""The project's URLs plus one that fails, for the error page tests."""

from django.urls import path

from partybuild.urls import urlpatterns as project


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*project, path("broken/", broken)]
