"""Inserting many rows with one `executemany`.

`bulk_create` builds the SQL per row and, on SQLite, splits a batch into statements of at most
999 parameters (about 40 rows of a wide table); one prepared INSERT run over every row is
several times faster on both databases. Used where thousands of rows are written at once
(Invite Selected and an import's Notify=1: invitations and their outgoing e-mails; an import's
companies, suppliers and rows).

Values go to the driver as the field's `get_db_prep_save` would give them, through
`preparer`, which skips Django's per-value work where the answer is known in advance.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import DatabaseDefault

# Fields whose `get_db_prep_save` returns a value of this exact type as it is.
_UNCHANGED_TYPE = {
    models.CharField: str,
    models.EmailField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.BooleanField: bool,
}


def database(model: type[models.Model]) -> BaseDatabaseWrapper:
    # The real wrapper: the `connection` proxy costs an attribute look-up per use.
    return connections[model.objects.db]


def preparer(field: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """A function giving `field.get_db_prep_save(value, db)`, cheaper for the common cases:
    text and numbers unchanged, UUIDs (and keys to them) as this database stores them."""
    slow = field.get_db_prep_save
    target = field.target_field if field.is_relation else field
    kind = _UNCHANGED_TYPE.get(type(target))
    if kind is not None:
        return lambda value: value if value.__class__ is kind else slow(value, db)
    if type(target) is models.UUIDField:
        if db.features.has_native_uuid_field:
            return lambda value: value if value.__class__ is uuid.UUID else slow(value, db)
        return lambda value: value.hex if value.__class__ is uuid.UUID else slow(value, db)
    return lambda value: slow(value, db)


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    suffix: str = "",
) -> None:
    """INSERTs rows of values already prepared for the fields `names`, in one executemany;
    `suffix` may hold an ON CONFLICT clause. Every other field (but an automatic primary key)
    gets its default, prepared once: name the fields whose default differs per row (UUID
    keys, message IDs). A column another app adds later does not break the caller."""
    if not rows:
        return
    db = database(model)
    fields = [model._meta.get_field(name) for name in names]
    # A database default (db_default) is the database's to fill in.
    others = [
        field
        for field in model._meta.concrete_fields
        if field not in fields
        and not isinstance(field, models.AutoField)
        and not field.has_db_default()
    ]
    if others:
        defaults = tuple(field.get_db_prep_save(field.get_default(), db) for field in others)
        rows = [(*row, *defaults) for row in rows]
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}) {}".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in [*fields, *others]),
        ", ".join(["%s"] * (len(fields) + len(others))),
        suffix,
    )
    with db.cursor() as cursor:
        # A list: Django's SQLite executemany materializes any other iterable first.
        cursor.executemany(sql, rows if isinstance(rows, list) else list(rows))


def insert_objects(objects: Sequence[models.Model]) -> None:
    """INSERTs these unsaved objects of one model; defaults and auto_now_add are applied as
    `save()` would. No signals are sent and no IDs are read back (give them UUID keys)."""
    if not objects:
        return
    model = type(objects[0])
    db = database(model)
    # A field left to its database default (db_default) is left out, as `save()` does.
    fields = [
        field
        for field in model._meta.concrete_fields
        if not isinstance(getattr(objects[0], field.attname), DatabaseDefault)
    ]
    # Only date fields with auto_now(_add) change a value in pre_save.
    automatic = [
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in fields
    ]
    steps = [
        (field, field.attname, is_automatic, preparer(field, db))
        for field, is_automatic in zip(fields, automatic, strict=True)
    ]
    rows = [
        [
            prepare(field.pre_save(obj, True) if is_automatic else getattr(obj, attname))
            for field, attname, is_automatic, prepare in steps
        ]
        for obj in objects
    ]
    insert_rows(model, [field.name for field in fields], rows)
    for obj in objects:
        obj._state.adding, obj._state.db = False, db.alias
