"""Storing, counting and listing reminders (reminders.models) for every source."""

import datetime
import hashlib

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from organizations import access
from organizations.models import Organization
from organizations.rollup import sum_up_all, tree_version
from partybuild.bulk import copy_rows

from .models import Reminder
from .sources import sources


def replace(source: str, rows: list[dict], **which) -> None:
    """Store a source's rows for what `which` selects (a member, an organization) again."""
    Reminder.objects.filter(source=source, **which).delete()
    copy_rows(Reminder, [row | {"source": source} for row in rows])
    written_now()


def subject_references() -> list[tuple[str, type]]:
    """(SQL condition over a reminder row `t`, the model its subject_id points to) for every
    source and kind whose subject is a row: for copying rows with their subjects."""
    from django.apps import apps

    references = []
    for source in sources().values():
        for kind, label in source.subjects.items():
            condition = f"t.source = '{source.name}'"
            if kind != "*":
                condition += f" AND t.kind = '{kind}'"
            references.append((condition, apps.get_model(label)))
    return references


def rebuild(name: str | None = None, today: datetime.date | None = None) -> int:
    """Store every row of one source (or of all) again. Returns the rows written."""
    today = today or datetime.date.today()
    written = 0
    for source in sources().values():
        if name is not None and source.name != name:
            continue
        Reminder.objects.filter(source=source.name).delete()
        for batch in source.rebuild(today):
            copy_rows(Reminder, [row | {"source": source.name} for row in batch])
            written += len(batch)
    written_now()
    return written


FIELDS = [f.attname for f in Reminder._meta.concrete_fields if not f.primary_key]


def as_row(reminder: Reminder) -> dict:
    """An unsaved reminder as a row to store."""
    return {name: getattr(reminder, name) for name in FIELDS}


def due(reminders: QuerySet[Reminder], today: datetime.date) -> QuerySet[Reminder]:
    """Reminders to show today: shown from their day on, a period's duty until it ends."""
    shown = reminders.filter(remind_from__lte=today)
    return shown.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def in_scope(
    user, today: datetime.date, organization: Organization | None = None, source: str = ""
) -> QuerySet[Reminder]:
    """What to show today in the user's scope (or one subtree of it), most urgent first."""
    qs = access.scoped(Reminder.objects.all(), user)
    if organization is not None:
        qs = qs.filter(organization__ancestor_links__ancestor_id=organization.pk)
    if source:
        qs = qs.filter(source=source)
    return (
        due(qs, today)
        .select_related("member", "organization")
        .order_by("due_on", "member_id", "id")
    )


def count_of(reminders: QuerySet[Reminder], today: datetime.date) -> int:
    """How many reminders a query lists, kept in the cache under the reminders' state of the
    day and the tree's version (the query's scope follows the tree), the query's text in
    the key: counting a whole city's reminders due took 50 ms on every page of the list."""
    sql, params = reminders.order_by().query.sql_with_params()
    digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:32]
    key = f"reminders:count:{_state(today)}:{tree_version()}:{digest}"
    count = cache.get(key)
    if count is None:
        count = reminders.count()
        cache.set(key, count, 24 * 3600)
    return count


def member_moved(member) -> None:
    """A person's reminders follow them to their new organization."""
    Reminder.objects.filter(member=member).exclude(organization_id=member.organization_id).update(
        organization_id=member.organization_id
    )
    written_now()


def counts_by_organization(
    organizations: list[Organization], today: datetime.date
) -> dict[int, tuple[int, int]]:
    """For each organization: (things due, things overdue) in its subtree, where a person
    counts once however many of their limits run, and each duty of an organization once.

    The counts of each organization that must act are worked out once per day and state of
    the reminders (own_counts, kept in the cache), then added up the closure table here.
    """
    if not organizations:
        return {}
    totals = subtree_counts(today)
    return {o.pk: tuple(totals[o.pk]) for o in organizations if totals.get(o.pk, (0,))[0]}


def subtree_counts(today: datetime.date) -> dict[int, list[int]]:
    """[due, overdue] of every organization's subtree, kept in the cache beside the own
    counts it sums, and under the tree's version too (a move changes every sum above)."""
    key = f"reminders:subtree:{_state(today)}:{tree_version()}"
    totals = cache.get(key)
    if totals is None:
        totals = sum_up_all(own_counts(today))
        cache.set(key, totals, 24 * 3600)
    return totals


VERSION_KEY = "reminders:version"


def written_now() -> None:
    """Reminders were just written: counts kept before are stale now for this transaction,
    and once it commits for every process (which may have kept the old state meanwhile)."""
    changed()
    transaction.on_commit(changed)


def changed() -> None:
    """Reminders were written or deleted: the kept counts are worked out again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def own_counts(today: datetime.date) -> dict[int, tuple[int, int]]:
    """(due, overdue) of each organization that must act, as of `today`: computed by one
    query over the reminders due (150 ms at 320,000 members), then kept in the cache under
    the day, the version that every write moves on (changed()) and the newest reminder's id
    (rows written by other means)."""
    key = f"reminders:own:{_state(today)}"
    counts = cache.get(key)
    if counts is None:
        counts = _own_counts(today)
        cache.set(key, counts, 24 * 3600)
    return counts


def _state(today: datetime.date) -> str:
    """The day, the version that every write moves on and the newest reminder's id."""
    newest = Reminder.objects.order_by("-id").values_list("id", flat=True).first()
    return f"{today.isoformat()}:{cache.get(VERSION_KEY, 0)}:{newest}"


def _own_counts(today: datetime.date) -> dict[int, tuple[int, int]]:
    # Each person (or each duty of an organization) once, with their earliest due date;
    # then counted per organization. Two hashed groupings over one scan.
    sql = f"""
        WITH subjects AS (
            SELECT organization_id, MIN(due_on) AS first_due
            FROM {Reminder._meta.db_table}
            WHERE remind_from <= %s AND (expires_on IS NULL OR expires_on >= %s)
            GROUP BY organization_id, member_id, CASE WHEN member_id IS NULL THEN id END
        )
        SELECT organization_id, COUNT(*), SUM(CASE WHEN first_due < %s THEN 1 ELSE 0 END)
        FROM subjects GROUP BY organization_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, today])
        return {pk: (int(due), int(overdue)) for pk, due, overdue in cursor.fetchall()}
