"""Inserting many new model objects with one `executemany`.

`bulk_create` builds the SQL per row and, on SQLite, splits a batch into statements of at most
999 parameters (about 40 rows of a wide table); one prepared INSERT run over every row is
several times faster on both databases. Used where thousands of rows are written at once
(Invite Selected and an import's Notify=1: invitations and their outgoing e-mails).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models


def insert_objects(objects: Sequence[models.Model]) -> None:
    """INSERTs these unsaved objects of one model; defaults and auto_now_add are applied as
    `save()` would. No signals are sent and no IDs are read back (give them UUID keys)."""
    if not objects:
        return
    model = type(objects[0])
    db = connections[model.objects.db]  # the real wrapper: the `connection` proxy costs per use
    fields = model._meta.concrete_fields
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # Text and numbers go to the driver as they are; UUIDs, datetimes, JSON and keys need their
    # field's conversion for this database.
    plain = [isinstance(field, models.CharField | models.IntegerField) for field in fields]
    rows = [
        [
            value if is_plain or value is None else field.get_db_prep_save(value, db)
            for field, is_plain in zip(fields, plain, strict=True)
            for value in (field.pre_save(obj, True),)
        ]
        for obj in objects
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objects:
        obj._state.adding, obj._state.db = False, db.alias
