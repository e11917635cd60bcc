"""Settings for the test suite: the production defaults (DEBUG off) with a test key."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-key-not-secret")

from .settings import *  # noqa: F403
