"""Bulk loading shared by the demo builder and the statistics engine."""

import csv
import io
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def copy_rows(model, rows: list[dict]) -> None:
    """Load rows fast: COPY on PostgreSQL (about 180,000 rows/s here), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        _insert_many(model, rows)
        return
    columns = list(rows[0])
    # Columns the rows leave out take their defaults, as bulk_create would give them.
    defaults = {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if f.attname not in columns and not f.primary_key
        and (f.has_default() or (f.empty_strings_allowed and not f.null))
    }  # fmt: skip
    rows = [row | defaults for row in rows] if defaults else rows
    columns += list(defaults)
    buffer = io.StringIO()
    # Strings are quoted (so '' stays an empty string); None is written bare, meaning NULL.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    buffer.seek(0)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(map(connection.ops.quote_name, columns))}) "
            "FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def _insert_many(model, rows: list[dict], batch: int = 5000) -> None:
    """Elsewhere (SQLite): one executemany per batch, each value prepared by its field as
    the ORM would (only where it changes the value: dates, decimals, times), without a
    model instance per row: about five times faster than bulk_create."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    defaults = [
        f for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in rows[0]
        and (f.has_default() or (f.empty_strings_allowed and not f.null))
    ]  # fmt: skip
    columns = [f.column for f in fields + defaults]
    sql = (
        f"INSERT INTO {db.ops.quote_name(model._meta.db_table)} "
        f"({', '.join(map(db.ops.quote_name, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    fixed = [f.get_db_prep_save(f.get_default(), db) for f in defaults]
    prepared = [(name, _preparer(f, db)) for name, f in zip(names, fields, strict=True)]
    with db.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [
                [row[name] if prep is None else prep(row[name]) for name, prep in prepared]
                + fixed
                for row in rows[start:start + batch]
            ])  # fmt: skip


PLAIN = (models.IntegerField, models.ForeignKey, models.CharField, models.BooleanField)


def _preparer(field, db):
    """None when the database takes the Python value as it is."""
    if isinstance(field, PLAIN) and not isinstance(field, models.JSONField):
        return None
    return lambda value: field.get_db_prep_save(value, db)


@contextmanager
def bulk_load(*models):
    """Load many rows into the models' tables with their keys checked and their indexes
    built once, at the end, instead of row by row.

    PostgreSQL checks each inserted row's foreign keys with a deferred trigger (millions of
    index probes queued until the commit: 90 s for the demo's 5 million attendance rows) and
    updates every index row by row. Keys, unique constraints and indexes other than the
    primary key are dropped for the load and made again, which checks every row with one
    join per key and sorts each index once (the PostgreSQL manual, "Populating a
    Database"). Pending checks of rows loaded earlier in the transaction run first: a table
    with pending checks cannot be altered. Elsewhere (SQLite) the load runs as it is.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Room to sort and group in memory for the load's statements and index builds.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        _check_pending(cursor)
        dropped = [_drop_keys_and_indexes(cursor, model._meta.db_table) for model in models]
    yield
    with connection.cursor() as cursor:
        _check_pending(cursor)
        for table, constraints, indexes in dropped:
            for definition in indexes:
                cursor.execute(definition)
            for kind in ("u", "f"):  # the unique ones first: keys may lean on them
                for name, definition in constraints[kind]:
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _check_pending(cursor) -> None:
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _drop_keys_and_indexes(cursor, table_name: str):
    quote = connection.ops.quote_name
    table = quote(table_name)
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [table_name],
    )
    constraints = {"f": [], "u": []}
    for name, kind, definition in cursor.fetchall():
        constraints[kind].append((quote(name), definition))
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table_name],
    )
    indexes = cursor.fetchall()
    for kind in ("f", "u"):
        for name, _definition in constraints[kind]:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    return table, constraints, [definition for _name, definition in indexes]


def reset_sequences(*models) -> None:
    """After rows loaded with their own ids, the next id the database gives follows them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
