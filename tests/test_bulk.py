"""The shared bulk mechanisms: long id lists as one value, and bulk loads that drop and make
again the keys and indexes of a table (PostgreSQL)."""

import pytest
from django.db import connection, transaction

from meetings.models import Attendance
from organizations.models import Organization
from partybuild.bulk import bulk_load


@pytest.mark.django_db
def test_any_of_selects_what_in_selects(tree):
    ids = [tree.b1.pk, tree.b3.pk, 10**9]
    assert set(Organization.objects.filter(pk__any_of=ids)) == {tree.b1, tree.b3}
    assert not Organization.objects.filter(pk__any_of=[]).exists()
    many = list(range(1, 40_000))  # beyond SQLite's limit of bound values
    assert (
        Organization.objects.filter(parent__any_of=many).count()
        == Organization.objects.filter(parent__isnull=False).count()
    )


def _definitions(table: str) -> tuple[set, set]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass", [table])  # fmt: skip
        constraints = set(cursor.fetchall())
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return constraints, set(cursor.fetchall())


@pytest.mark.django_db
def test_a_bulk_load_leaves_the_same_keys_and_indexes_and_still_checks_them(tree):
    if connection.vendor != "postgresql":
        pytest.skip("keys and indexes are dropped on PostgreSQL only")
    table = Attendance._meta.db_table
    before = _definitions(table)
    with bulk_load(Attendance):
        assert _definitions(table) != before
    assert _definitions(table) == before
    insert = (f"INSERT INTO {table} (meeting_id, member_id, probationary, state, reason, "
              "excluded) VALUES (999999, 999999, false, 'present', '', false)")  # fmt: skip
    with (
        pytest.raises(Exception, match="foreign key"),
        transaction.atomic(),
        bulk_load(Attendance),
        connection.cursor() as cursor,
    ):
        cursor.execute(insert)  # a row whose keys point nowhere: refused at the load's end
