"""Folding text for case- and accent-insensitive search that works the same on SQLite and
PostgreSQL: the folded form is stored beside the original and searched with LIKE."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
