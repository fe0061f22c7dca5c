"""Folding text for case- and accent-insensitive search that works the same on SQLite and
PostgreSQL: the folded form is stored beside the original and searched with LIKE."""

from __future__ import annotations

import unicodedata


class _WithoutCombining(dict):
    """A str.translate table that drops combining marks, filled in as characters come up:
    one C-level pass per text instead of a Python test per character. Bounded: a text may
    hold any of a million characters."""

    def __missing__(self, char: int) -> int | None:
        kept = None if unicodedata.combining(chr(char)) else char
        if len(self) < 4096:
            self[char] = kept
        return kept


_WITHOUT_COMBINING = _WithoutCombining()


def fold(text: str) -> str:
    if text.isascii():  # no accents to drop; most names and cities of an import
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_WITHOUT_COMBINING)
