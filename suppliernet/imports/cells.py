"""Turning spreadsheet cell values into text, and undoing what Excel does to long numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext

# Excel keeps 15 significant digits; an integral float beyond that has already lost digits,
# so it is left in its float form for the caller to reject rather than shown as a clean number.
_EXACT_LIMIT = 10**15

_INTEGRAL = re.compile(r"([+-]?\d+)[.,](0+)")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")


class ScientificNotation(ValueError):
    """A number Excel shows as 9.00123456E+8: digits may already be lost."""

    def __init__(self, text: str):
        self.text = text
        self.message = gettext(
            "Excel turned this tax ID into a number in scientific notation (%(value)s), which "
            "can lose digits. Format the column as Text, type the tax IDs again and export again."
        ) % {"value": text}
        super().__init__(self.message)


def clean_excel_number(text: str) -> str | None:
    """Digits of an integral number that Excel wrote with a decimal part, else None.

    "900123456.0" and "900123456,0" (Spanish decimal comma) give "900123456". Anything that
    is not such a number gives None: the caller keeps the text as it is. Raises
    ScientificNotation for "9.00123456E+8" / "9,00123456E+08".
    """
    text = text.strip()
    if _SCIENTIFIC.fullmatch(text):
        raise ScientificNotation(text)
    match = _INTEGRAL.fullmatch(text)
    if match is None:
        return None
    digits, zeros = match.groups()
    # "900.000" may be 900000 written with a thousands separator, not 900 with decimals.
    if len(zeros) == 3 and len(digits.lstrip("+-")) <= 3:
        return None
    return digits


def cell_text(value: object) -> str:
    """Text of an XLSX cell value as openpyxl returns it (values, not formulas)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # bool before int: bool is an int. A TRUE/FALSE cell is how Excel shows a ticked
    # Notify column, and the template's Notify values are 1 and 0.
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_LIMIT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
