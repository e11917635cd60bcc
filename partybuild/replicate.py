"""Copies of a whole dataset made by the database itself: ten times the large demo.

`replicate(plan, copies)` adds `copies` copies of every row that hangs below the root of
the tree, one INSERT … SELECT per table (over a counting CTE, so all copies of a table are
one statement, on PostgreSQL and SQLite alike): no row passes through Python.

Copy k (1, 2, …) of a row gets id + k × span, where span is the table's largest id before
copying, so the copies never collide; its keys to copied tables are shifted by the span of
the table they point to. What is not copied stays shared: keys to the root (every copy hangs
below the one root), to tables not copied (users, the campaign, the rules). The root's own
rows (its posts, its closure row) are not copied. Columns that must stay unique or that
identify a row to people (codes, ID numbers, names) are rewritten by SQL the plan gives.
Loading the copies fast (keys and indexes dropped and made again) is the caller's part:
partybuild.bulk.bulk_load.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models

# (column, copy number) as SQL → the copied value as SQL
Rewrite = Callable[[str, str], str]


@dataclass
class Plan:
    root: models.Model
    # Models that are not copied though they point below the root (logins, derived figures).
    leave: list[type[models.Model]] = field(default_factory=list)
    # (model, column) → how copy k rewrites it.
    rewrites: dict[tuple[type[models.Model], str], Rewrite] = field(default_factory=dict)
    # (model, integer column) → [(SQL condition over the row `t`, model the id points to)]:
    # ids kept without a foreign key (a reminder's subject, whose table depends on its kind).
    references: dict[tuple[type[models.Model], str], list[tuple[str, type[models.Model]]]] = field(
        default_factory=dict
    )

    def models(self) -> list[type[models.Model]]:
        """Every model whose rows hang below the root: the root's own model and each one with
        a foreign key to a copied model (repeated until nothing more joins), in that order."""
        found = [type(self.root)]
        candidates = [
            m for m in apps.get_models(include_auto_created=True)
            if m not in self.leave and not m._meta.proxy and not _is_history(m)
        ]  # fmt: skip
        grew = True
        while grew:
            grew = False
            for model in candidates:
                if model not in found and any(t in found for t in _keys(model).values()):
                    found.append(model)
                    grew = True
        return found


def _is_history(model) -> bool:
    """simple_history's tables: the copies start without a change history."""
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def _keys(model) -> dict[str, type[models.Model]]:
    """Foreign-key columns and the model each points to."""
    return {
        f.column: f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one)
    }


def replicate(plan: Plan, copies: int) -> dict[str, int]:
    """Add `copies` copies of the rows below the root; returns the rows added per table."""
    copied = plan.models()
    spans = {model: _span(model) for model in copied}
    added = {}
    for model in copied:
        if spans[model]:
            added[model._meta.db_table] = _copy_table(plan, model, copies, spans)
    return added


def _span(model) -> int:
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({pk}) FROM {model._meta.db_table}")
        return cursor.fetchone()[0] or 0


def _roots_own(plan: Plan, model) -> str:
    """SQL condition on a row `t` of the model: it belongs to the root alone (every required
    key it has to the root's table points to the root: the root's posts, its closure row, its
    campaign), so it is not copied and keys to it stay. An optional key (a step's approving
    organization) refers to the root without making the row the root's."""
    quote, root_model, root = connection.ops.quote_name, type(plan.root), plan.root.pk
    if model is root_model:
        return f"t.{quote(model._meta.pk.column)} = {root}"
    owners = [
        f"t.{quote(f.column)} = {root}"
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is root_model and not f.null
    ]
    return " AND ".join(owners)


def _copy_table(plan: Plan, model, copies: int, spans: dict) -> int:
    quote = connection.ops.quote_name
    keys = _keys(model)
    columns, values = [], []
    for f in model._meta.concrete_fields:
        column = f"t.{quote(f.column)}"
        if f.primary_key:
            value = f"{column} + c.k * {spans[model]}"
        elif (model, f.attname) in plan.rewrites:
            value = plan.rewrites[model, f.attname](column, "c.k")
        elif keys.get(f.column) in spans:
            value = _shifted(plan, column, keys[f.column], spans[keys[f.column]])
        elif (model, f.attname) in plan.references:
            cases = " ".join(
                f"WHEN {condition} THEN {column} + c.k * {spans[target]}"
                for condition, target in plan.references[model, f.attname]
            )
            value = f"CASE {cases} ELSE {column} END"
        else:
            value = column
        columns.append(quote(f.column))
        values.append(value)
    roots_own = _roots_own(plan, model)
    where = f"WHERE NOT ({roots_own})" if roots_own else ""
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < {copies}) "
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {table} t CROSS JOIN c {where}"
        )
        return cursor.rowcount


def _shifted(plan: Plan, column: str, target, span: int) -> str:
    """A key shifted to the copy of the row it points to, unless that row is the root's own
    (not copied: the copies point to it too, as to the root and its campaign)."""
    shifted = f"{column} + c.k * {span}"
    roots_own = _roots_own(plan, target)
    if not roots_own:
        return shifted
    if target is type(plan.root):
        return f"CASE WHEN {column} = {plan.root.pk} THEN {column} ELSE {shifted} END"
    kept = (
        f"SELECT t.{connection.ops.quote_name(target._meta.pk.column)} FROM "
        f"{connection.ops.quote_name(target._meta.db_table)} t WHERE {roots_own}"
    )
    return f"CASE WHEN {column} IN ({kept}) THEN {column} ELSE {shifted} END"
