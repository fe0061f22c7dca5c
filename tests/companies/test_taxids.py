from __future__ import annotations

import random

import pytest

from suppliernet.companies import taxids
from suppliernet.companies.taxids import (
    COUNTRIES,
    InvalidTaxId,
    TaxId,
    country_choices,
    format_tax_id,
    normalize_tax_id,
    search_key,
)

# Numbers come from python-stdnum's docstrings and tests/test_*.doctest files.
# (country, raw input, stored number, display form)
VALID = [
    ("AR", "30-71432229-6", "30714322296", "30-71432229-6"),
    ("AR", "30 71432229 6", "30714322296", "30-71432229-6"),
    ("AR", "30714322296", "30714322296", "30-71432229-6"),
    ("AR", "20.05536168.2", "20055361682", "20-05536168-2"),
    ("BR", "16.727.230/0001-97", "16727230000197", "16.727.230/0001-97"),
    ("BR", "16727230000197", "16727230000197", "16.727.230/0001-97"),
    ("BR", "16 727 230 0001 97", "16727230000197", "16.727.230/0001-97"),
    ("BR", "33.000.167/0001-01", "33000167000101", "33.000.167/0001-01"),
    ("BR", "390.533.447-05", "39053344705", "390.533.447-05"),  # CPF
    ("BR", "39053344705", "39053344705", "390.533.447-05"),
    ("CL", "76.086.428-5", "760864285", "76.086.428-5"),
    ("CL", "76086428-5", "760864285", "76.086.428-5"),
    ("CL", "760864285", "760864285", "76.086.428-5"),
    ("CL", "96919970k", "96919970K", "96.919.970-K"),
    ("CL", "96.919.970-K", "96919970K", "96.919.970-K"),
    ("CL", "12.531.909-2", "125319092", "12.531.909-2"),
    ("CO", "899.999.068-1", "8999990681", "899.999.068-1"),
    ("CO", "860 001 986-1", "8600019861", "860.001.986-1"),
    ("CO", "8600019861", "8600019861", "860.001.986-1"),
    ("CO", "860,001,986-1", "8600019861", "860.001.986-1"),
    ("CO", "52.238.803-1", "522388031", "52.238.803-1"),
    ("CR", "3-101-999999", "3101999999", "3-101-999999"),
    ("CR", "3101999999", "3101999999", "3-101-999999"),
    ("CR", "3 101 015462", "3101015462", "3-101-015462"),
    ("CR", "1-613-584", "0106130584", "01-0613-0584"),  # cédula física, groups padded
    ("CR", "3-0455-0175", "0304550175", "03-0455-0175"),
    ("DO", "1-01-85004-3", "101850043", "1-01-85004-3"),
    ("DO", "101850043", "101850043", "1-01-85004-3"),
    ("DO", "1 31 24679 6", "131246796", "1-31-24679-6"),
    ("EC", "1792060346001", "1792060346001", "1792060346001"),
    ("EC", "1792060346-001", "1792060346001", "1792060346001"),
    ("EC", "0990138850001", "0990138850001", "0990138850001"),
    ("ES", "B64717838", "B64717838", "B64717838"),
    ("ES", "b-6471783-8", "B64717838", "B64717838"),
    ("ES", "54362315K", "54362315K", "54362315K"),
    ("ES", "X-5253868-R", "X5253868R", "X5253868R"),
    ("GT", "576937-K", "576937K", "576937-K"),
    ("GT", "0576937k", "576937K", "576937-K"),
    ("GT", "6946874-5", "69468745", "6946874-5"),
    ("GT", "7108-0", "71080", "7108-0"),
    ("MX", "MAB-930714-8T4", "MAB9307148T4", "MAB9307148T4"),
    ("MX", "mab 930714 8t4", "MAB9307148T4", "MAB9307148T4"),
    ("MX", "GODE 561231 GR8", "GODE561231GR8", "GODE561231GR8"),  # person, 13 characters
    ("MX", "&JE040614N51", "&JE040614N51", "&JE040614N51"),
    ("MX", "muñ-110218-lj6", "MUÑ110218LJ6", "MUÑ110218LJ6"),
    ("PE", "20512333797", "20512333797", "20512333797"),
    ("PE", "20-51233379-7", "20512333797", "20512333797"),
    ("PE", "10054148289", "10054148289", "10054148289"),
    ("PY", "80028061-0", "800280610", "80028061-0"),
    ("PY", "800280610", "800280610", "80028061-0"),
    ("PY", "2660-3", "26603", "2660-3"),
    ("SV", "0614-050707-104-8", "06140507071048", "0614-050707-104-8"),
    ("SV", "06140507071048", "06140507071048", "0614-050707-104-8"),
    ("SV", "0210 191171 001 6", "02101911710016", "0210-191171-001-6"),
    ("US", "91-1144442", "911144442", "91-1144442"),
    ("US", "911144442", "911144442", "91-1144442"),
    ("US", "04 2103594", "042103594", "04-2103594"),
    ("UY", "21-100342-001-7", "211003420017", "21-100342-001-7"),
    ("UY", "211003420017", "211003420017", "21-100342-001-7"),
    ("UY", "21.140634.001.1", "211406340011", "21-140634-001-1"),
    ("VE", "J-30816256-6", "J308162566", "J-30816256-6"),
    ("VE", "j308162566", "J308162566", "J-30816256-6"),
    ("VE", "V 11470283 4", "V114702834", "V-11470283-4"),
    ("VE", "G-20000085-6", "G200000856", "G-20000085-6"),
]

# Costa Rica and the US have no check digit; Mexican RFC check digits are not verified.
BAD_CHECK_DIGIT = [
    ("AR", "20-26756539-2"),
    ("BR", "16.727.230/0001-98"),
    ("BR", "390.533.447-06"),
    ("CL", "12.531.909-3"),
    ("CO", "899.999.068-2"),
    ("CO", "2131234325"),
    ("DO", "1-01-85004-2"),
    ("EC", "0190115799001"),
    ("ES", "B64717839"),
    ("GT", "8977112-0"),
    ("PE", "20512333798"),
    ("PY", "80053249-2"),
    ("SV", "0614-050707-104-0"),
    ("UY", "21-030367-001-4"),
    ("VE", "V-11470283-3"),
]

WRONG_LENGTH = [
    ("AR", "20-0553616-2"),
    ("BR", "16.727.230/0001"),
    ("CL", "7608642"),
    ("CO", "2131234"),
    ("CR", "3-102-10536"),
    ("DO", "1-01-85004"),
    ("EC", "179206034601"),
    ("ES", "B6471783"),
    ("GT", "1234567890123"),
    ("MX", "COMG-600703"),  # person's RFC without homoclave
    ("PE", "2051233379"),
    ("PY", "80123456789"),
    ("SV", "12345678"),
    ("UY", "12345678"),
    ("VE", "V-114702839-4"),
]

MALFORMED = [
    ("AR", "2026756A393"),
    ("BR", "16.727.230/0001=97"),
    ("CL", "76086A28-5"),
    ("CO", "213123435A"),
    ("CO", "NIT 900.123.456-8"),
    ("CR", "3-121-176017"),  # unknown kind of legal person
    ("DO", "1018A0043"),
    ("EC", "17920603A6001"),
    ("ES", "B647I7838"),
    ("GT", "FF12"),
    ("MX", "MAB-931314-8T4"),  # month 13
    ("PE", "99512333792"),  # unknown kind of taxpayer
    ("PY", "FF8002121"),
    ("PY", "0"),
    ("SV", "52345678901234"),
    ("US", "07-1144442"),  # unknown IRS campus
    ("UY", "99-159934-001-1"),
    ("VE", "Z-11470283-4"),
]


def expected(country: str, problem: str = "") -> str:
    spec = COUNTRIES[country]
    return f"Not a valid {spec.label}{problem} (expected format {spec.example})."


@pytest.mark.parametrize(("country", "raw", "number", "display"), VALID)
def test_valid_numbers_are_normalized(country: str, raw: str, number: str, display: str):
    assert normalize_tax_id(country, raw) == TaxId(country, number, display)
    assert normalize_tax_id(country.lower(), f"  {raw} ") == TaxId(country, number, display)
    assert format_tax_id(country, number) == display


def test_every_country_has_valid_examples_and_tests():
    assert {country for country, *_ in VALID} == set(COUNTRIES)
    for code, spec in COUNTRIES.items():
        assert spec.code == code
        assert spec.module is spec.modules[0]
        assert normalize_tax_id(code, spec.example).display == spec.example


@pytest.mark.parametrize(("country", "raw"), BAD_CHECK_DIGIT)
def test_bad_check_digit(country: str, raw: str):
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id(country, raw)
    assert error.value.message == expected(country, ": the check digit does not match")


@pytest.mark.parametrize(("country", "raw"), WRONG_LENGTH)
def test_wrong_length(country: str, raw: str):
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id(country, raw)
    assert error.value.message == expected(country, ": wrong length")


@pytest.mark.parametrize(("country", "raw"), MALFORMED)
def test_malformed(country: str, raw: str):
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id(country, raw)
    assert error.value.message == expected(country)


def test_messages_name_the_tax_id_and_an_example():
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("CL", "76.086.428-4")
    assert error.value.message == (
        "Not a valid Chilean RUT: the check digit does not match (expected format 76.086.428-5)."
    )
    assert str(error.value) == error.value.message
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("raw", ["", "   ", " - . / ", None])
def test_empty(raw: str):
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("CO", raw)
    assert error.value.message == "Enter the Colombian NIT (expected format 900.123.456-8)."


def test_too_long():
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("CO", "9" * 41)
    assert error.value.message == expected("CO", ": wrong length")


@pytest.mark.parametrize("country", ["XX", "xx", "BO", "PA"])
def test_unsupported_country(country: str):
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id(country, "123456789")
    assert error.value.message == f"Tax IDs of {country.upper()} are not supported."


def test_missing_country():
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("", "123456789")
    assert error.value.message == "Select the country of the tax ID."


def test_unicode_input_from_pdfs():
    # Full-width digits and punctuation, non-breaking spaces and en dashes.
    full_width = "900.123.456-8".translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})
    assert normalize_tax_id("CO", full_width).number == "9001234568"
    assert normalize_tax_id("SV", "0614\u2013050707\u2013104\u20138").number == "06140507071048"
    assert normalize_tax_id("CL", "76\u00a0086\u00a0428-5").number == "760864285"


# Colombian NIT: the check digit (DV) is often left out.


def test_colombian_spellings_are_the_same_supplier():
    results = [
        normalize_tax_id("CO", raw)
        for raw in ("899.999.068-1", "899999068-1", "8999990681", "899999068")
    ]
    assert {result.number for result in results} == {"8999990681"}
    assert {result.display for result in results} == {"899.999.068-1"}
    assert [result.assumed for result in results] == [
        "",
        "",
        "",
        "Check digit 1 was added: 899.999.068-1",
    ]


def test_colombian_example_from_the_brief_is_not_valid():
    # 900.123.456-7 has a wrong check digit; 8 is the right one.
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("CO", "9001234567")
    assert error.value.message == expected("CO", ": the check digit does not match")
    assert normalize_tax_id("CO", "900.123.456") == TaxId(
        "CO", "9001234568", "900.123.456-8", "Check digit 8 was added: 900.123.456-8"
    )


def test_colombian_nine_digits_also_valid_with_check_digit_prefers_company():
    # 890903938 is 89.090.393-8 as typed, but also 890.903.938 without its check digit.
    result = normalize_tax_id("CO", "890903938")
    assert result.number == "8909039388"
    assert result.display == "890.903.938-8"
    assert result.assumed == (
        "Check digit 8 was added: 890.903.938-8 (if the last digit you typed was already "
        "the check digit, enter it as 89.090.393-8)"
    )


@pytest.mark.parametrize("raw", ["89.090.393-8", "89090393-8", "89090393 8"])
def test_colombian_typed_check_digit_is_respected(raw: str):
    assert normalize_tax_id("CO", raw) == TaxId("CO", "890903938", "89.090.393-8")


def test_colombian_typed_check_digit_is_never_replaced():
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("CO", "89999906-8")
    assert "check digit does not match" in error.value.message


def test_colombian_nine_digits_outside_company_range_are_read_as_typed():
    # Company NITs start with 8 or 9; this is the 8-digit NIT 52.238.803 plus its check digit.
    assert normalize_tax_id("CO", "522388031") == TaxId("CO", "522388031", "52.238.803-1")
    with pytest.raises(InvalidTaxId) as error:
        normalize_tax_id("CO", "522388032")
    assert "check digit does not match" in error.value.message


def test_stored_short_colombian_nit_is_formatted_as_stored():
    assert format_tax_id("CO", "890903938") == "89.090.393-8"


@pytest.mark.parametrize(
    ("country", "number"),
    [("XX", "123"), ("CO", "garbage"), ("BR", ""), ("", "123"), ("VE", "J"), ("MX", "ABC")],
)
def test_format_tax_id_falls_back_to_the_number(country: str, number: str):
    assert format_tax_id(country, number) == number


def test_format_tax_id_never_raises():
    assert format_tax_id(None, None) is None  # type: ignore[arg-type]
    assert format_tax_id("CO", 12) == 12  # type: ignore[arg-type]


def test_random_input_only_raises_invalid_tax_id():
    rng = random.Random(20240601)
    alphabet = "0123456789KJVXkñÑ&-./ ,_\u2013\téA"
    for _ in range(3000):
        country = rng.choice(sorted(COUNTRIES))
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        try:
            result = normalize_tax_id(country, raw)
        except InvalidTaxId:
            continue
        assert format_tax_id(country, result.number) == result.display
        assert normalize_tax_id(country, result.display).number == result.number


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("900.123", "900123"),
        (" j-30816256-6 ", "J308162566"),
        ("16.727.230/0001-97", "16727230000197"),
        ("&je 040614", "&JE040614"),
        ("muñ", "MUÑ"),
        ("", ""),
    ],
)
def test_search_key(raw: str, key: str):
    assert search_key(raw) == key


def test_country_choices_sorted_by_name():
    choices = country_choices()
    names = [name for _, name in choices]
    assert names == sorted(names)
    assert {code for code, _ in choices} == set(COUNTRIES)
    assert ("CO", "Colombia") in choices
    assert all(isinstance(name, str) for _, name in choices)


def test_required_countries_are_supported():
    required = {"CO", "CL", "MX", "PE", "EC", "AR", "UY", "BR", "GT", "DO", "CR", "PY", "SV"}
    assert required | {"VE", "US", "ES"} == set(COUNTRIES)


def test_messages_go_through_gettext(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(taxids, "gettext", lambda message: f"[es] {message}")
    for country, raw in [("CO", "2131234325"), ("CO", "2131234"), ("CO", "x"), ("CO", "")]:
        with pytest.raises(InvalidTaxId) as error:
            normalize_tax_id(country, raw)
        assert error.value.message.startswith("[es] ")
    for country in ["XX", ""]:
        with pytest.raises(InvalidTaxId) as error:
            normalize_tax_id(country, "1")
        assert error.value.message.startswith("[es] ")
    assert normalize_tax_id("CO", "899999068").assumed.startswith("[es] ")
    assert normalize_tax_id("CO", "890903938").assumed.startswith("[es] ")
