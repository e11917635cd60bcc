"""Settings for the test suite: the production defaults (DEBUG off) with a test key."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-key-not-secret")

from .settings import *  # noqa: F403

# A query of the suite that runs for minutes is a bad plan, not a slow test: fail it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c statement_timeout=120000"  # noqa: F405
