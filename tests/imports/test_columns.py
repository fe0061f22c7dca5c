from __future__ import annotations

import pytest

from suppliernet.imports.columns import (
    COLUMNS,
    KEYS,
    MANDATORY_KEYS,
    column_letter,
    match_header,
    normalize_label,
)

ENGLISH = [
    "Tax ID*",
    "Name*",
    "Description",
    "Address",
    "City",
    "Province",
    "Phone",
    "Fax",
    "Email*",
    "Groups",
    "Notify*",
    "Country",
]
SPANISH = [
    "Identificación tributaria*",
    "Nombre*",
    "Descripción",
    "Dirección",
    "Ciudad",
    "Provincia",
    "Teléfono",
    "Fax",
    "Correo electrónico*",
    "Grupos",
    "Notificar*",
    "País",
]


def test_canonical_keys_and_mandatory_columns():
    assert KEYS == (
        "tax_id",
        "name",
        "description",
        "address",
        "city",
        "province",
        "phone",
        "fax",
        "email",
        "groups",
        "notify",
        "country",
    )
    assert MANDATORY_KEYS == ("tax_id", "name", "email", "notify")
    assert [column.label_en for column in COLUMNS] == ENGLISH
    assert [column.label_es for column in COLUMNS] == SPANISH


@pytest.mark.parametrize("labels", [ENGLISH, SPANISH])
def test_template_labels_match_every_column_in_order(labels):
    match = match_header(labels)
    assert match.columns == {key: index for index, key in enumerate(KEYS)}
    assert match.missing == ()
    assert match.unknown == ()
    assert match.duplicates == ()


def test_language_is_told_by_the_labels():
    assert match_header(ENGLISH).language == "en"
    assert match_header(SPANISH).language == "es"
    # Labels both languages use tell nothing.
    assert match_header(["Fax", "Email"]).language is None


def test_headers_in_another_order():
    match = match_header(["Email*", "Notify*", "Name*", "Tax ID*"])
    assert match.columns == {"email": 0, "notify": 1, "name": 2, "tax_id": 3}
    assert match.missing == ()


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("tax id", "tax_id"),
        ("  TAX-ID ", "tax_id"),
        ("TaxID*", "tax_id"),
        ("NIT", "tax_id"),
        ("RUT", "tax_id"),
        ("rfc", "tax_id"),
        ("R.U.C.", "tax_id"),
        ("identificacion tributaria", "tax_id"),
        ("Tax ID (NIT)", "tax_id"),
        ("NOMBRE", "name"),
        ("Razon Social", "name"),
        ("razón  social*", "name"),
        ("descripcion", "description"),
        ("DIRECCIÓN", "address"),
        ("departamento", "province"),
        ("Región", "province"),
        ("Estado", "province"),
        ("telefono", "phone"),
        ("E-mail", "email"),
        ("e mail", "email"),
        ("Correo Electronico", "email"),
        ("correo", "email"),
        ("Notificar", "notify"),
        ("Notify* (1/0)", "notify"),
        ("Pais", "country"),
        ("grupos", "groups"),
    ],
)
def test_labels_match_ignoring_case_accents_spaces_punctuation_and_star(label, key):
    assert match_header([label]).columns == {key: 0}


def test_unknown_extra_columns_are_reported_and_blank_ones_ignored():
    match = match_header([*ENGLISH[:11], "", "Internal code", "  "])
    assert [(cell.index, cell.label) for cell in match.unknown] == [(12, "Internal code")]
    assert "country" not in match.columns


def test_duplicate_columns_are_reported_and_the_first_wins():
    match = match_header(["Tax ID*", "Email*", "Name*", "Correo", "Notify*"])
    assert match.columns["email"] == 1
    [duplicate] = match.duplicates
    assert (duplicate.key, duplicate.index, duplicate.label, duplicate.first_index) == (
        "email",
        3,
        "Correo",
        1,
    )


def test_missing_mandatory_columns():
    match = match_header(["Tax ID", "Name", "City"])
    assert match.missing == ("email", "notify")
    assert match.found_labels == ("Tax ID", "Name", "City")


def test_normalize_label():
    assert normalize_label(" Correo  Electrónico* ") == "correoelectronico"
    assert normalize_label("Peñalolén") == "penalolen"
    # A label that is only a remark is still compared, not dropped.
    assert normalize_label("(NIT)") == "nit"


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (11, "L"), (25, "Z"), (26, "AA"), (701, "ZZ")]
)
def test_column_letter(index, letter):
    assert column_letter(index) == letter
