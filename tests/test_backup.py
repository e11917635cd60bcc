"""Backup and restore: a dump of the demo restored into a second database holds every row
and the same figures; a restore refuses a database that is not empty."""

import hashlib
import sqlite3
from contextlib import closing

import pytest
from django.core.management import call_command
from django.db import connection

from members.demo import Size, demo_build
from partybuild.backup import BackupError, Target, backup, restore

SMALL_DEMO = Size(committees=3, general_branches=4, branches=20, members=400)


def counts_and_figures(target: Target) -> tuple[dict[str, int], str]:
    """Every table's row count, and a digest of the statistics' figures in order."""
    figures = "SELECT * FROM reports_figures ORDER BY organization_id, subtree"
    if target.engine == "postgresql":
        with closing(target.connect()) as db, db.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = [t for (t,) in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            cursor.execute(figures)
            rows = cursor.fetchall()
    else:
        with closing(sqlite3.connect(target.params["NAME"])) as db:
            tables = [
                t
                for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not t.startswith("sqlite_")
            ]
            counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
            rows = db.execute(figures).fetchall()
    return counts, hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def second_database(tmp_path):
    """An empty database beside the test database: PostgreSQL or an SQLite file."""
    if connection.vendor != "postgresql":
        yield Target("sqlite", {"ENGINE": "sqlite3", "NAME": str(tmp_path / "restored.sqlite3")})
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield Target("postgresql", {**connection.settings_dict, "NAME": name})
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_the_demo_restored_into_a_second_database_has_every_row_and_figure(
    tmp_path, settings, second_database
):
    demo_build(SMALL_DEMO)
    attachment = settings.MEDIA_ROOT / "secretary_reports" / "2026" / "述职.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 report")
    archive = backup(tmp_path / "backups")
    assert archive.name.startswith("partybuild-backup-") and archive.name.endswith(".tar.gz")

    done = restore(archive, second_database, media_root=tmp_path / "restored-media")

    source = Target.from_settings(connection.settings_dict)
    if source.engine == "sqlite":  # the test database lives in memory: compare its copy
        source = Target("sqlite", {"NAME": str(tmp_path / "source.sqlite3")})
        with closing(sqlite3.connect(source.params["NAME"])) as copy:
            connection.connection.backup(copy)
    before, after = counts_and_figures(source), counts_and_figures(second_database)
    assert after == before
    counts = before[0]
    assert counts["members_member"] >= 400 and counts["organizations_organization"] == 28
    assert counts["reports_figures"] > 0 and counts["dues_due"] > 0
    assert done.tables == len(counts) and done.rows == sum(counts.values())
    restored = tmp_path / "restored-media" / "secretary_reports" / "2026" / "述职.pdf"
    assert restored.read_bytes() == b"%PDF-1.4 report" and done.files == 1

    with pytest.raises(BackupError, match="not empty"):
        restore(archive, second_database, media_root=tmp_path / "again")


@pytest.mark.django_db(transaction=True)
def test_the_commands_say_where_the_archive_is_and_what_was_restored(
    tmp_path, capsys, second_database, tree
):
    call_command("backup", output=str(tmp_path))
    archive = capsys.readouterr().out.strip()
    assert archive.startswith(str(tmp_path))
    url = (
        f"sqlite:///{second_database.params['NAME']}"
        if second_database.engine == "sqlite"
        else "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**second_database.params)
    )
    call_command("restore", archive, database_url=url, media_root=str(tmp_path / "m"))
    assert "every row count matches the archive" in capsys.readouterr().out
