"""The few statements an import writes by hand: one `executemany` per chunk.

The ORM's bulk_create builds SQL per row and, on SQLite, splits a chunk into statements of
999 parameters; an upsert that keeps stored values for empty cells cannot be said with it
at all. These run on SQLite (>= 3.24) and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


def database(model: type[models.Model]) -> BaseDatabaseWrapper:
    # The real wrapper: the `connection` proxy costs an attribute look-up per use.
    return connections[model.objects.db]


def table(model: type[models.Model]) -> str:
    return database(model).ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    return database(model).ops.quote_name(model._meta.get_field(name).column)


def prep(model: type[models.Model], name: str, value: Any) -> Any:
    """A value as this database stores it (UUIDs, datetimes, JSON); text passes as it is."""
    return model._meta.get_field(name).get_db_prep_save(value, database(model))


def insert_many(
    model: type[models.Model], names: Sequence[str], rows: list[Sequence[Any]], *, suffix: str = ""
) -> None:
    """INSERT the rows (values already prepared) in one executemany; `suffix` may hold an
    ON CONFLICT clause. The model's other fields get their defaults: a column another app
    adds later must not break the import."""
    if not rows:
        return
    others = [
        field
        for field in model._meta.concrete_fields
        if field.name not in names and not field.primary_key
    ]
    if others:
        defaults = [
            field.get_db_prep_save(field.get_default(), database(model)) for field in others
        ]
        rows = [(*row, *defaults) for row in rows]
    sql = "INSERT INTO {} ({}) VALUES ({}) {}".format(
        table(model),
        ", ".join([*(column(model, name) for name in names), *(f.column for f in others)]),
        placeholders(len(names) + len(others)),
        suffix,
    )
    with database(model).cursor() as cursor:
        cursor.executemany(sql, rows)


def select(model: type[models.Model], sql: str, params: Sequence[Any]) -> list[tuple]:
    """Rows as the driver returns them: ids stay in the database's form, ready to write back."""
    with database(model).cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)
