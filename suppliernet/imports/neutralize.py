"""Keeping spreadsheet programs from running cell text as a formula (CSV/formula injection).

Follows OWASP's CSV injection guidance: a cell whose text starts with = + - @ tab or CR gets
a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text.

Decisions:
- Leading spaces do not hide a trigger (" =HYPERLINK(...)"): some importers trim them.
- Fullwidth = + - @ count too; some Excel locales turn them into formulas.
- "+57 601 555 0100" and "-5" are neutralized as well. Exempting "numbers" is unsafe in
  general and would not help: Excel would turn the phone into a formula or a number and
  lose the "+". The apostrophe is visible in a CSV, but the value survives, and
  `restore_neutralized` removes it again when an exported error file is uploaded.
- A lone "-" or "+" (a common "n/a") is left alone: on its own it cannot be a formula.
"""

from __future__ import annotations

_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PADDING = " \u00a0"
_HARMLESS = frozenset({"-", "+"})


def neutralize_formula(value: str) -> str:
    if needs_neutralizing(value):
        return "'" + value
    return value


def needs_neutralizing(value: str) -> bool:
    if value in _HARMLESS:
        return False
    stripped = value.lstrip(_PADDING)
    return bool(stripped) and stripped[0] in _TRIGGERS


def restore_neutralized(value: str) -> str:
    """Undo neutralize_formula: "'=SUM(A1)" -> "=SUM(A1)", "'Quote" is left as it is."""
    if value[:1] == "'" and needs_neutralizing(value[1:]):
        return value[1:]
    return value
