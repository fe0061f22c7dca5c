from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from suppliernet.companies.taxids import InvalidTaxId, normalize_tax_id, tax_id_number
from suppliernet.imports.reading import SourceRow
from suppliernet.imports.rules import check_row
from suppliernet.network.forms import clean_email_list
from tests.imports.helpers import KEYS, nit, row


def check(n: int = 1, **values: str):
    cells = dict(zip(KEYS, row(n, **values), strict=True))
    return check_row(SourceRow(7, cells, list(cells.values())), default_country="CO")


def messages(errors, column: str) -> list[str]:
    return [error.message for error in errors if error.column == column]


def test_a_valid_row_gives_the_supplier_with_a_normalized_tax_id():
    number = nit(1)
    display = f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9]}"
    supplier, errors = check(tax_id=display, email="ana@empresa.co; compras@empresa.co")
    assert errors == []
    assert (supplier.line, supplier.country, supplier.tax_id) == (7, "CO", number)
    assert supplier.emails == ["ana@empresa.co", "compras@empresa.co"]  # the first is primary
    assert supplier.name == "Proveedor 1 S.A.S." and supplier.city == "Bogotá"


def test_every_error_of_a_row_is_reported_not_only_the_first():
    _supplier, errors = check(tax_id="123", name="", email="a@b", notify="2")
    assert {error.column for error in errors} == {"tax_id", "name", "email", "notify"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("9001234560", "check digit does not match"), ("12", "wrong length"), ("", "Enter the")],
)
def test_invalid_tax_ids_are_errors_saying_why(cell, expected):
    _supplier, errors = check(tax_id=cell)
    [message] = messages(errors, "tax_id")
    assert expected in message and "900.123.456-8" in message


def test_tax_id_that_excel_wrote_with_decimals_is_understood():
    number = nit(2)
    supplier, errors = check(tax_id=f"{number}.0")
    assert errors == [] and supplier.tax_id == number


def test_tax_id_in_scientific_notation_is_an_error_that_says_so():
    _supplier, errors = check(tax_id="9.00123456E+8")
    [message] = messages(errors, "tax_id")
    assert "scientific notation" in message and "Text" in message


def test_country_column_reads_the_tax_id_of_that_country():
    cells = dict(zip(KEYS, row(1, tax_id="MAB-930714-8T4"), strict=True))
    supplier, errors = check_row(SourceRow(3, {**cells, "country": "mx"}, []), default_country="CO")
    assert errors == [] and (supplier.country, supplier.tax_id) == ("MX", "MAB9307148T4")


def test_unsupported_country_is_an_error_on_the_country_column():
    cells = dict(zip(KEYS, row(1), strict=True))
    _supplier, errors = check_row(
        SourceRow(3, {**cells, "country": "Colombia"}, []), default_country="CO"
    )
    [message] = messages(errors, "country")
    assert "“Colombia” is not a supported country" in message and "CO, " in message


def test_name_is_mandatory():
    _supplier, errors = check(name="")
    assert messages(errors, "name") == ["Enter the supplier's name."]


@pytest.mark.parametrize(("column", "limit"), [("name", 200), ("address", 300), ("phone", 50)])
def test_texts_longer_than_the_model_allows_are_errors(column, limit):
    _supplier, errors = check(**{column: "x" * (limit + 1)})
    [message] = messages(errors, column)
    assert f"at most {limit} are allowed" in message


def test_a_one_megabyte_cell_is_an_error_showing_only_the_start_of_it():
    _supplier, errors = check(description="á" * 1_048_576)
    [error] = errors
    assert "1,048,576 characters" in error.message
    assert len(error.value) == 100 and error.value.endswith("…")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("a@b", "“a@b” is not a valid e-mail address."),
        ("x@@y.com", "“x@@y.com” is not a valid e-mail address."),
        ("", "Enter at least one e-mail address of the supplier."),
        (";", "Enter at least one e-mail address of the supplier."),
        ("ana@empresa.co, ANA@empresa.co", "“ANA@empresa.co” is listed twice."),
    ],
)
def test_bad_emails_are_errors_naming_the_address(cell, expected):
    _supplier, errors = check(email=cell)
    assert messages(errors, "email") == [expected]


@pytest.mark.parametrize(
    "cell", ["ana@empresa.co; compras@empresa.co", "ana@empresa.co,compras@empresa.co"]
)
def test_several_emails_separated_by_semicolon_or_comma(cell):
    supplier, errors = check(email=cell)
    assert errors == [] and supplier.emails == ["ana@empresa.co", "compras@empresa.co"]


@pytest.mark.parametrize(
    ("cell", "notify"),
    [
        *(("1", True), ("0", False), ("Sí", True), ("si", True), ("YES", True), ("no", False)),
        *(("TRUE", True), ("false", False), ("VERDADERO", True), ("Falso", False)),
    ],
)
def test_notify_is_1_or_0_or_a_documented_word(cell, notify):
    supplier, errors = check(notify=cell)
    assert errors == [] and supplier.notify is notify


@pytest.mark.parametrize(("cell", "expected"), [("2", "not “2”"), ("1.0", "not “1.0”"), ("x", "x")])
def test_other_notify_values_are_errors(cell, expected):
    _supplier, errors = check(notify=cell)
    [message] = messages(errors, "notify")
    assert (
        message.startswith("Notify must be 1 (invite the supplier now) or 0")
        and expected in message
    )


def test_blank_notify_is_an_error():
    _supplier, errors = check(notify="")
    assert messages(errors, "notify") == [
        "Notify is empty: enter 1 (invite the supplier now) or 0 (not yet)."
    ]


def test_groups_are_split_on_semicolons_and_commas_and_named_once():
    supplier, errors = check(groups="Logística; Críticos,logística ,, Nacionales")
    assert errors == [] and supplier.groups == ["Logística", "Críticos", "Nacionales"]


def test_group_names_longer_than_80_characters_are_errors():
    _supplier, errors = check(groups=f"Ok;{'g' * 81}")
    assert messages(errors, "groups") == ["Group names are limited to 80 characters."]


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+57 601 555 0100", "-5", "@SUM(A1)"])
def test_cells_starting_like_a_formula_are_kept_as_text(cell):
    supplier, errors = check(name=cell, phone=cell[:50])
    assert errors == [] and supplier.name == cell


def test_a_repeated_tax_id_keeps_the_tax_id_of_a_row_with_other_errors():
    supplier, errors = check(email="a@b")
    assert errors and supplier.tax_id == nit(1)


# The fast paths of checking a row must decide exactly as the full checks they skip.

EMAIL_CELLS = [
    "ana@empresa.co",
    "Ana.Perez+compras@Empresa.COM.co",
    "a@b",
    "a..b@empresa.co",
    ".a@empresa.co",
    "a@-empresa.co",
    "a@empresa-.co",
    "a@empresa.c",
    "a@empresa.c0",
    "a@empresa.xn--p1ai",
    "a@localhost",
    "a@[127.0.0.1]",
    '"ana perez"@empresa.co',
    "josé@empresa.co",
    "ana@empresá.co",
    "ana@empresa.co; ANA@empresa.co",
    "ana@empresa.co,,compras@empresa.co",
    ";",
    "a@" + "b" * 64 + ".co",
    "a" * 250 + "@empresa.co",
]


@pytest.mark.parametrize("cell", EMAIL_CELLS)
def test_emails_are_judged_as_the_supplier_form_judges_them(cell):
    supplier, errors = check(email=cell)
    email_errors = messages(errors, "email")
    try:
        expected = clean_email_list(cell)
    except ValidationError as error:
        assert email_errors == error.messages
    else:
        too_long = [address for address in expected if len(address) > 254]
        assert bool(email_errors) == bool(too_long or not expected)
        if not email_errors:
            assert supplier.emails == expected


TAX_ID_CELLS = [
    ("CO", "900.123.456-8"),
    ("CO", "9001234568"),
    ("CO", "900123456"),  # a company NIT without its check digit: one is added
    ("CO", "800197268"),
    ("CO", "12345678-9"),
    ("CO", "0000000000"),
    ("CO", "９００１２３４５６８"),  # full-width digits
    ("CO", "9001234560"),
    ("CO", "90012345x8"),
    ("CO", "1" * 17),
    ("CL", "76.086.428-5"),
    ("BR", "16.727.230/0001-97"),
    ("MX", "MAB9307148T4"),
    ("PY", "0"),
]


@pytest.mark.parametrize(("country", "cell"), TAX_ID_CELLS)
def test_tax_id_number_is_normalize_tax_id_without_the_display_form(country, cell):
    try:
        expected = normalize_tax_id(country, cell).number
    except InvalidTaxId as error:
        with pytest.raises(InvalidTaxId) as raised:
            tax_id_number(country, cell)
        assert raised.value.message == error.message
    else:
        assert tax_id_number(country, cell) == expected
