"""The few statements an import writes by hand: one `executemany` per chunk.

The ORM's bulk_create builds SQL per row and, on SQLite, splits a chunk into statements of
999 parameters; an upsert that keeps stored values for empty cells cannot be said with it
at all. These run on SQLite (>= 3.24) and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from suppliernet.bulk import database, preparer


def table(model: type[models.Model]) -> str:
    return database(model).ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    return database(model).ops.quote_name(model._meta.get_field(name).column)


def prep(model: type[models.Model], name: str, value: Any) -> Any:
    """A value as this database stores it (UUIDs, datetimes, JSON); text passes as it is."""
    return model._meta.get_field(name).get_db_prep_save(value, database(model))


def prepares(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """`prep` for one field, looked up once: for values written per row."""
    return preparer(model._meta.get_field(name), database(model))


def select(model: type[models.Model], sql: str, params: Sequence[Any]) -> list[tuple]:
    """Rows as the driver returns them: ids stay in the database's form, ready to write back."""
    with database(model).cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)
