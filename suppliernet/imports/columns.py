"""The columns of the "Bulk Add Suppliers" template, and matching a file's header row to them.

Django-free on purpose: the reading layer and the template writer share this data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Column:
    key: str
    mandatory: bool
    label_en: str
    label_es: str
    # Other headers accepted for this column, by language ("Tax ID" is also common in Spanish).
    aliases_en: tuple[str, ...] = ()
    aliases_es: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.label_es if lang == "es" else self.label_en


COLUMNS: tuple[Column, ...] = (
    Column(
        "tax_id",
        True,
        "Tax ID*",
        "Identificación tributaria*",
        aliases_en=("Tax number", "TIN"),
        aliases_es=(
            "Tax ID",
            "NIT",
            "RUT",
            "RFC",
            "RUC",
            "CUIT",
            "RIF",
            "Identificación fiscal",
            "Número de identificación tributaria",
        ),
    ),
    Column(
        "name",
        True,
        "Name*",
        "Nombre*",
        aliases_en=("Company name", "Supplier name"),
        aliases_es=("Razón social", "Nombre o razón social", "Nombre del proveedor"),
    ),
    Column("description", False, "Description", "Descripción"),
    Column("address", False, "Address", "Dirección"),
    Column("city", False, "City", "Ciudad"),
    Column(
        "province",
        False,
        "Province",
        "Provincia",
        aliases_en=("State", "Region", "Department"),
        aliases_es=("Departamento", "Región", "Estado"),
    ),
    Column("phone", False, "Phone", "Teléfono", aliases_en=("Telephone",), aliases_es=("Tel",)),
    Column("fax", False, "Fax", "Fax"),
    Column(
        "email",
        True,
        "Email*",
        "Correo electrónico*",
        aliases_en=("E-mail", "Email address"),
        aliases_es=("Email", "E-mail", "Correo"),
    ),
    Column("groups", False, "Groups", "Grupos", aliases_en=("Group",), aliases_es=("Grupo",)),
    Column("notify", True, "Notify*", "Notificar*"),
    Column("country", False, "Country", "País"),
)

COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
MANDATORY_KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS if column.mandatory)

# "Notify* (1/0)", "Tax ID (NIT)": a parenthesised remark does not change the column.
_REMARK = re.compile(r"\([^)]*\)")


def normalize_label(text: str) -> str:
    """Fold a header label for comparison: no case, accents, spaces, punctuation or '*'."""
    without_remark = _REMARK.sub("", text)
    if _fold(without_remark):
        text = without_remark
    return _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def _build_lookup() -> dict[str, tuple[str, str | None]]:
    """normalized label -> (key, language); language is None when both languages use it."""
    lookup: dict[str, tuple[str, str | None]] = {}
    for column in COLUMNS:
        for lang, labels in (
            ("en", (column.label_en, *column.aliases_en)),
            ("es", (column.label_es, *column.aliases_es)),
        ):
            for label in labels:
                folded = normalize_label(label)
                known = lookup.get(folded)
                if known is None:
                    lookup[folded] = (column.key, lang)
                elif known[0] != column.key:
                    raise ValueError(f"Header {label!r} would match two columns")
                elif known[1] != lang:
                    lookup[folded] = (column.key, None)
    return lookup


_LOOKUP = _build_lookup()


@dataclass(frozen=True)
class HeaderCell:
    index: int
    label: str


@dataclass(frozen=True)
class DuplicateColumn:
    key: str
    index: int
    label: str
    first_index: int


@dataclass(frozen=True)
class HeaderMatch:
    columns: dict[str, int]
    labels: tuple[str, ...]
    unknown: tuple[HeaderCell, ...]
    duplicates: tuple[DuplicateColumn, ...]
    # "en" or "es" when the labels tell; None when they don't (e.g. "Email", "Fax" only).
    language: str | None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(key for key in MANDATORY_KEYS if key not in self.columns)

    @property
    def found_labels(self) -> tuple[str, ...]:
        return tuple(label for label in self.labels if label)


def match_header(cells: Sequence[str]) -> HeaderMatch:
    """Map each canonical key to its column index; the first of duplicated columns wins."""
    columns: dict[str, int] = {}
    unknown: list[HeaderCell] = []
    duplicates: list[DuplicateColumn] = []
    votes = {"en": 0, "es": 0}
    labels = tuple(cell.strip() for cell in cells)
    for index, label in enumerate(labels):
        folded = normalize_label(label)
        if not folded:
            continue  # blank header cells are formatting leftovers, not columns
        known = _LOOKUP.get(folded)
        if known is None:
            unknown.append(HeaderCell(index, label))
            continue
        key, lang = known
        if key in columns:
            duplicates.append(DuplicateColumn(key, index, label, columns[key]))
            continue
        columns[key] = index
        if lang is not None:
            votes[lang] += 1
    language = None
    if votes["en"] != votes["es"]:
        language = "en" if votes["en"] > votes["es"] else "es"
    return HeaderMatch(columns, labels, tuple(unknown), tuple(duplicates), language)


def column_letter(index: int) -> str:
    """0-based index -> spreadsheet letter (0 -> A, 26 -> AA): how users find a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
