"""Backup and restore: the database and the uploaded files in one dated archive.

    manage.py backup [--output DIR]          -> DIR/partybuild-backup-20261201-021500.tar.gz
    manage.py restore ARCHIVE [--database-url URL] [--media-root DIR]

The archive holds `database.dump` (pg_dump's custom format; `database.sqlite3` on SQLite),
`media/` (MEDIA_ROOT) and `manifest.json`: when, which engine, and every table's row count,
counted in the very snapshot that pg_dump writes (an exported snapshot), so that a restore
can prove it holds the same rows. A restore goes into an empty database only, and checks
the counts afterwards.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg2
from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP, SQLITE_DUMP = "database.dump", "database.sqlite3"


class BackupError(Exception):
    """Said to the operator as it is: the command ends with it."""


@dataclass(frozen=True)
class Target:
    """A database to dump or restore into, as the client programs see it."""

    engine: str  # "postgresql" or "sqlite"
    params: dict

    @classmethod
    def from_settings(cls, settings_dict: dict) -> "Target":
        engine = settings_dict["ENGINE"].rsplit(".", 1)[-1]
        if engine.startswith("postgresql"):
            engine = "postgresql"
        elif engine != "sqlite3":
            raise BackupError(f"No backup for the {engine} engine.")
        return cls("sqlite" if engine == "sqlite3" else engine, settings_dict)

    @classmethod
    def from_url(cls, url: str) -> "Target":
        return cls.from_settings(dj_database_url.parse(url))

    def environment(self) -> dict:
        p = self.params
        values = {"PGHOST": p.get("HOST"), "PGPORT": p.get("PORT"), "PGUSER": p.get("USER"),
                  "PGPASSWORD": p.get("PASSWORD"), "PGDATABASE": p.get("NAME")}  # fmt: skip
        return {**os.environ, **{k: str(v) for k, v in values.items() if v}}

    def connect(self):
        p = self.params
        return psycopg2.connect(dbname=p["NAME"], user=p.get("USER") or None,
                                password=p.get("PASSWORD") or None,
                                host=p.get("HOST") or None, port=p.get("PORT") or None)  # fmt: skip


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [name for (name,) in cursor.fetchall()]


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [name for (name,) in rows]


def backup(output: Path, *, alias: str = "default", now: datetime.datetime | None = None) -> Path:
    """Write the archive into `output`; returns its path."""
    target = Target.from_settings(connections[alias].settings_dict)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    output.mkdir(parents=True, exist_ok=True)
    archive = output / f"partybuild-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if target.engine == "postgresql":
            counts = _dump_postgresql(target, work / PG_DUMP)
        else:
            counts = _dump_sqlite(alias, work / SQLITE_DUMP)
        manifest = {
            "created_at": timezone.localtime(now).isoformat(),
            "engine": target.engine,
            "tables": counts,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / MANIFEST, MANIFEST)
            dump = PG_DUMP if target.engine == "postgresql" else SQLITE_DUMP
            tar.add(work / dump, dump)
            if Path(settings.MEDIA_ROOT).is_dir():
                tar.add(settings.MEDIA_ROOT, "media")
    return archive


def _dump_postgresql(target: Target, path: Path) -> dict[str, int]:
    """Count the rows and dump them in one exported snapshot: the counts are the dump's."""
    with closing(target.connect()) as db, db.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, pg_tables(cursor))
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
             target)  # fmt: skip
    return counts


def _dump_sqlite(alias: str, path: Path) -> dict[str, int]:
    """SQLite's online backup, through Django's own connection (the file or, in tests, the
    shared in-memory database)."""
    connections[alias].ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connections[alias].connection.backup(copy)
        return {
            t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in sorted(sqlite_tables(copy))
        }
    finally:
        copy.close()


def _run(command: list[str], target: Target) -> None:
    done = subprocess.run(command, env=target.environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def restore(archive: Path, target: Target, *, media_root: Path) -> Restored:
    """Restore the archive into the target, which must hold no tables, and the files into
    `media_root`, where none of them may exist yet; check every table's row count."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
        work = Path(work)
        tar.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text())
        if manifest["engine"] != target.engine:
            raise BackupError(
                f"The archive is of a {manifest['engine']} database, the target {target.engine}."
            )
        if target.engine == "postgresql":
            counts = _restore_postgresql(work / PG_DUMP, target)
        else:
            counts = _restore_sqlite(work / SQLITE_DUMP, target)
        if counts != manifest["tables"]:
            differ = sorted(t for t in manifest["tables"] if counts.get(t) != manifest["tables"][t])
            raise BackupError(f"Row counts differ after the restore: {', '.join(differ)}")
        files = _restore_media(work / "media", media_root)
    return Restored(tables=len(counts), rows=sum(counts.values()), files=files)


@contextmanager
def _cursor(target: Target):
    with closing(target.connect()) as db, db, db.cursor() as cursor:
        yield cursor


def _restore_postgresql(dump: Path, target: Target) -> dict[str, int]:
    with _cursor(target) as cursor:
        if pg_tables(cursor):
            raise BackupError(f"The database {target.params['NAME']} is not empty.")
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          f"--dbname={target.params['NAME']}", str(dump)], target)  # fmt: skip
    with _cursor(target) as cursor:
        cursor.execute("ANALYZE")
        return table_counts(cursor, pg_tables(cursor))


def _restore_sqlite(dump: Path, target: Target) -> dict[str, int]:
    path = Path(target.params["NAME"])
    if path.exists():
        with sqlite3.connect(path) as db:
            if sqlite_tables(db):
                raise BackupError(f"The database {path} is not empty.")
    shutil.copyfile(dump, path)
    with sqlite3.connect(path) as db:
        return {
            t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in sorted(sqlite_tables(db))
        }


def _restore_media(source: Path, media_root: Path) -> int:
    if not source.is_dir():
        return 0
    files = [p for p in source.rglob("*") if p.is_file()]
    clashes = [p for p in files if (media_root / p.relative_to(source)).exists()]
    if clashes:
        raise BackupError(f"{len(clashes)} files exist already under {media_root}.")
    for path in files:
        destination = media_root / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return len(files)
