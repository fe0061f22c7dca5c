"""Cursor pagination: a page starts after the last row of the previous one (keyset), so rows
added or removed meanwhile never shift a page, and a deep page costs what the first does.

The cursor is opaque to clients: base64 of the ordering's name and the last row's key."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, Schema

from suppliernet.api.fields import text
from suppliernet.api.problems import ApiProblem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams(Schema):
    cursor: text(500) | None = Field(None, description="`next_cursor` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


@dataclass(frozen=True)
class Keyset:
    """An ordering on (`field`, id), ascending or descending, with how to read the field's
    value back from a cursor."""

    name: str
    field: str
    descending: bool = False
    parse: Callable[[str], Any] = str

    def order(self) -> tuple[str, str]:
        sign = "-" if self.descending else ""
        return f"{sign}{self.field}", f"{sign}id"

    def after(self, value: Any, last_id: uuid.UUID) -> Q:
        op = "lt" if self.descending else "gt"
        return Q(**{f"{self.field}__{op}": value}) | Q(**{self.field: value, f"id__{op}": last_id})


def _datetime(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None:
        raise ValueError(text)
    return value


def by_datetime(name: str, field: str, *, descending: bool = False) -> Keyset:
    return Keyset(name, field, descending, _datetime)


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str, keyset: Keyset) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, last_id = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if name != keyset.name or not isinstance(value, str):
            raise ValueError(name)
        return keyset.parse(value), uuid.UUID(str(last_id))
    except (ValueError, TypeError, UnicodeError, binascii.Error, RecursionError):
        raise ApiProblem(
            422,
            "cursor",
            _("The cursor is not valid for this list; start again without one."),
            errors=[("cursor", _("Use next_cursor from the previous page, unchanged."))],
        ) from None


def _value(row: Model, field: str) -> str:
    value = getattr(row, field)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def paginate(queryset: QuerySet, keyset: Keyset, page: PageParams) -> tuple[list, str | None]:
    """One page of `queryset` in the keyset's order and the cursor of the next, or None."""
    queryset = queryset.order_by(*keyset.order())
    if page.cursor:
        queryset = queryset.filter(keyset.after(*_decode(page.cursor, keyset)))
    limit = page.limit
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode([keyset.name, _value(last, keyset.field), str(last.pk)])
