"""Organization picker benchmark: the lookup's server time on a 15,001-organization tree.

Run after bench/tree_import.py, on its database:
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_tree \\
        .venv/bin/python bench/picker.py
Prints the median of 7 requests (Django test client, in-process) and the query count for a
few typical searches, as the working committee's staff.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from organizations.models import Organization, Role, UserRole  # noqa: E402


def main() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    setup_test_environment()
    top = Organization.objects.get(parent__isnull=True)
    user, _ = get_user_model().objects.get_or_create(username="picker-bench")
    UserRole.objects.get_or_create(user=user, organization=top, role=Role.STAFF)
    client = Client()
    client.force_login(user)
    print(f"{Organization.objects.count()} organizations")
    for label, params in [
        ("empty query", {}),
        ("part of a name, many matches", {"q": "党支部"}),
        ("part of a name, few matches", {"q": "第1234"}),
        ("code prefix", {"q": "B0123"}),
        ("committees only", {"q": "委员会", "write": 1, "committees": 1}),
    ]:
        times = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/organizations/lookup/", params)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        found = len(response.json()["results"])
        print(f"{label:<32} {statistics.median(times):7.1f} ms  {len(queries)} queries  "
              f"{found} results")  # fmt: skip


if __name__ == "__main__":
    main()
