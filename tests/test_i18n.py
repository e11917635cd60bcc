"""The Chinese catalogue is complete: every string in the code and templates is translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# The project's own apps (every installed app without a dot that is not Django's), the
# templates and the catalogue: a new app is checked the day it is installed.
SOURCES = [
    "manage.py",
    *[app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app).is_dir()],
    "templates",
    "locale",
]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_catalogue_is_complete_and_current(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    po = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (check and confirm): {fuzzy}"
