"""Keyset pages of the Suppliers list: a page starts right after (or ends right before) a row
named by its sort key, so page 10,000 costs what page 1 does, and rows added or removed
meanwhile never shift a page. Cursors are opaque URL parameters (`after`, `before`), so pages
work without JavaScript and can be bookmarked and shared; `page=last` is the end of the list.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Expression, F, Field, Func, Model, QuerySet, Value
from django.db.models.lookups import GreaterThan, LessThan

from suppliernet.network.models import Supplier


@dataclass(frozen=True)
class Sort:
    """An order on `keys` (row attributes, unique together: the last is "id"), all ascending
    or all descending, so one row comparison `(k1, k2, id) > (…)` starts a page inside the
    index on (buyer, k1, k2, id). `expressions` are annotated keys that are not fields."""

    keys: tuple[str, ...]
    descending: bool = False
    expressions: Mapping[str, Expression] = field(default_factory=dict)

    def order_by(self, *, reverse: bool = False, columns: Mapping[str, str] = {}) -> list[Any]:
        descending = self.descending != reverse
        names = [columns.get(key, key) for key in self.keys]
        return [F(name).desc() if descending else F(name).asc() for name in names]

    def key_field(self, key: str) -> Field:
        if key in self.expressions:
            return self.expressions[key].output_field
        return Supplier._meta.get_field(key)


class Row(Func):
    """A row value, `(a, b, c)`: compared as a whole by SQLite and PostgreSQL alike."""

    template = "(%(expressions)s)"

    def __init__(self, *expressions: Any, output_field: Field) -> None:
        super().__init__(*expressions, output_field=output_field)


def cursor_of(sort_name: str, row: Model, sort: Sort) -> str:
    """The cursor naming `row` in this sort."""
    values = []
    for key in sort.keys:
        value = getattr(row, key)
        values.append(value.isoformat() if isinstance(value, (date, datetime)) else str(value))
    text = json.dumps([sort_name, values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, sort_name: str, sort: Sort) -> list[Any] | None:
    """The key values a cursor names, or None for one that is damaged or of another sort."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if name != sort_name or len(values) != len(sort.keys):
            return None
        return [
            sort.key_field(key).to_python(value)
            for key, value in zip(sort.keys, values, strict=True)
        ]
    except (ValueError, TypeError, UnicodeError, binascii.Error, ValidationError):
        return None


def _beyond(sort: Sort, values: list[Any], *, reverse: bool, columns: Mapping[str, str]) -> Any:
    """Rows after `values` in the sort's order (before them with `reverse`)."""
    key_field = sort.key_field(sort.keys[0])
    rows = Row(*[F(columns.get(key, key)) for key in sort.keys], output_field=key_field)
    cursor = Row(
        *[
            Value(value, output_field=sort.key_field(key))
            for key, value in zip(sort.keys, values, strict=True)
        ],
        output_field=key_field,
    )
    forward = not sort.descending
    lookup = GreaterThan if forward != reverse else LessThan
    return lookup(rows, cursor)


@dataclass
class KeysetPage:
    object_list: list[Any]
    sort_name: str
    sort: Sort
    has_previous: bool
    has_next: bool

    @property
    def previous_cursor(self) -> str:
        return cursor_of(self.sort_name, self.object_list[0], self.sort)

    @property
    def next_cursor(self) -> str:
        return cursor_of(self.sort_name, self.object_list[-1], self.sort)

    @property
    def is_first(self) -> bool:
        return not self.has_previous


def keyset_page(
    queryset: QuerySet,
    sort_name: str,
    sort: Sort,
    params: Mapping[str, str],
    per_page: int,
    *,
    rows: QuerySet,
    columns: Mapping[str, str] = {},
) -> KeysetPage:
    """The page that `params` ask for (`after`, `before` or `page=last`; else the first).

    The page's keys come first, from `queryset` (the filtered list) alone: PostgreSQL can
    then walk the sort's index without visiting the table for each row it skips (a name
    filter skips thousands). The page's rows are then loaded from `rows`, by key.

    `queryset` may be of another model carrying the sort's keys (a group's links): `columns`
    then names its column for each key that differs, "id" being the row's primary key."""
    queryset = queryset.annotate(**sort.expressions) if sort.expressions else queryset
    forward = queryset.order_by(*sort.order_by(columns=columns))
    backward = queryset.order_by(*sort.order_by(reverse=True, columns=columns))
    key = columns.get("id", "pk")

    def keys(ordered: QuerySet) -> list[Any]:
        return list(ordered.values_list(key, flat=True)[: per_page + 1])

    def load(pks: list[Any]) -> list[Any]:
        loaded = rows.annotate(**sort.expressions).in_bulk(pks)
        return [loaded[pk] for pk in pks if pk in loaded]

    if after := _decode(params.get("after") or "", sort_name, sort):
        found = keys(forward.filter(_beyond(sort, after, reverse=False, columns=columns)))
        return KeysetPage(load(found[:per_page]), sort_name, sort, True, len(found) > per_page)
    before = _decode(params.get("before") or "", sort_name, sort)
    if before or params.get("page") == "last":
        if before:
            backward = backward.filter(_beyond(sort, before, reverse=True, columns=columns))
        found = keys(backward)
        # Rows removed since the link was made can leave less than a page before the
        # cursor: then the first page is the truthful answer.
        if len(found) > per_page or not before:
            shown = load(found[:per_page][::-1])
            return KeysetPage(shown, sort_name, sort, len(found) > per_page, bool(before))
    found = keys(forward)
    return KeysetPage(load(found[:per_page]), sort_name, sort, False, len(found) > per_page)
