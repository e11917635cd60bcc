"""Tree import benchmark: the large demo tree (15,001 organizations) through the import.

Run on PostgreSQL, in a database of its own (its organizations are wiped):
    scripts/services.sh start
    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_tree \\
        .venv/bin/python bench/tree_import.py
Builds the tree of `seed_demo --large` without members, writes it out as the import's
spreadsheet, wipes it, shuffles the lines, and prints how long reading, checking and writing
the whole file takes (three times), then checks the imported tree against the original.
"""

import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from members.demo import LARGE, Size, _Builder  # noqa: E402
from organizations.importer import organizations_import, write_organizations  # noqa: E402
from organizations.models import Organization, OrganizationClosure  # noqa: E402


def wipe() -> None:
    tables = ["organizations_organization", "organizations_historicalorganization"]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def written_tree() -> tuple[bytes, set]:
    wipe()
    size = Size(LARGE.committees, LARGE.general_branches, LARGE.branches, members=0)
    _Builder(size).build_tree()
    shape = set(Organization.objects.values_list("code", "parent__code", "kind", "depth"))
    stream = io.BytesIO()
    write_organizations(stream, Organization.objects.all())
    return stream.getvalue(), shape


def shuffled(data: bytes) -> io.BytesIO:
    """The same lines in a random order: children before their parents, mostly."""
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    body = rows[1:]
    random.Random(7).shuffle(body)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in [rows[0], *body]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the docstring).")
    call_command("migrate", verbosity=0)
    data, shape = written_tree()
    shuffled_file = shuffled(data).getvalue()
    print(f"tree file: {len(shape)} organizations, {len(shuffled_file) / 1e6:.1f} MB")
    for attempt in range(1, 4):
        wipe()
        started = time.perf_counter()
        result = organizations_import(file=io.BytesIO(shuffled_file))
        seconds = time.perf_counter() - started
        assert result.ok, [str(e) for e in result.errors[:5]]
        print(f"import #{attempt}: {result.created} organizations in {seconds:.1f} s")
    imported = set(Organization.objects.values_list("code", "parent__code", "kind", "depth"))
    links = OrganizationClosure.objects.count()
    expected_links = sum(depth + 1 for *_rest, depth in shape)
    print(f"same tree as written: {imported == shape}; closure links {links} "
          f"(expected {expected_links})")  # fmt: skip


if __name__ == "__main__":
    main()
