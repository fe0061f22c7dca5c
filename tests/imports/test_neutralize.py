from __future__ import annotations

import pytest

from suppliernet.imports.neutralize import neutralize_formula, restore_neutralized


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        " =1+1",  # some importers trim leading spaces
        "\u00a0=1+1",
        "\uff1d1+1",  # fullwidth equals sign
        "+57 601 555 0100",  # a phone: kept intact behind the apostrophe
        "-5",
        "=",
    ],
)
def test_formula_triggers_get_an_apostrophe(value):
    assert neutralize_formula(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-",
        "+",
        "Suministros Andinos S.A.S.",
        "900.123.456-8",
        "billing@example.com",  # '@' only matters at the start
        "'=already neutralized",
        "Calle 5 - Bogotá",
        "   ",
    ],
)
def test_plain_values_are_unchanged(value):
    assert neutralize_formula(value) == value


@pytest.mark.parametrize("value", ["=1+1", "+57 601 555 0100", "-5", "@x", "\t=x", "plain", "'q"])
def test_restore_undoes_neutralize(value):
    assert restore_neutralized(neutralize_formula(value)) == value


def test_restore_keeps_apostrophes_that_are_data():
    assert restore_neutralized("'Los Andes'") == "'Los Andes'"
    assert restore_neutralized("'") == "'"
    assert restore_neutralized("'-") == "'-"
