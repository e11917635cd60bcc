"""Modules that apps contribute to a shared mechanism, found by their name.

A mechanism below the apps (the statistics columns, the reminders) cannot import the apps
above it; each app declares a module of an agreed name instead, and the mechanism finds them
here, in INSTALLED_APPS order.
"""

import importlib
from functools import cache
from types import ModuleType

from django.conf import settings
from django.utils.module_loading import module_has_submodule


@cache
def app_modules(name: str, *, besides: str = "") -> tuple[ModuleType, ...]:
    """The `name` modules of the project's installed apps (not of `besides`, the mechanism's
    own app, nor of Django's or third-party apps)."""
    found = []
    for app in settings.INSTALLED_APPS:
        if app.startswith("django.") or "." in app or app == besides:
            continue
        package = importlib.import_module(app)
        if module_has_submodule(package, name):
            found.append(importlib.import_module(f"{app}.{name}"))
    return tuple(found)
