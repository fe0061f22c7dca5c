from __future__ import annotations

import codecs
import csv
import io

import pytest
from openpyxl import load_workbook
from stdnum.co import nit

from suppliernet.imports.columns import COLUMNS, KEYS
from suppliernet.imports.reading import open_table
from suppliernet.imports.template import (
    example_tax_id,
    write_template_csv,
    write_template_xlsx,
)


def test_example_tax_id_is_a_valid_colombian_nit():
    assert example_tax_id() == "900.123.456-8"
    assert nit.is_valid(example_tax_id())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_csv_template(lang):
    data = write_template_csv(lang)
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    assert text.endswith("\r\n")
    header, example = csv.reader(io.StringIO(text, newline=""))
    assert header == [column.label(lang) for column in COLUMNS]
    assert [label for label in header if label.endswith("*")] == [
        column.label(lang) for column in COLUMNS if column.mandatory
    ]
    row = dict(zip(KEYS, example, strict=True))
    assert row["tax_id"] == example_tax_id()
    assert row["notify"] == "1"
    assert ";" in row["email"]


def test_csv_template_labels_by_language():
    assert write_template_csv("en").decode("utf-8-sig").startswith("Tax ID*,Name*,Description")
    assert (
        write_template_csv("es")
        .decode("utf-8-sig")
        .startswith("Identificación tributaria*,Nombre*,Descripción")
    )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_xlsx_template(lang):
    workbook = load_workbook(io.BytesIO(write_template_xlsx(lang)))
    sheet, instructions = workbook.worksheets
    assert instructions.title == {"en": "Instructions", "es": "Instrucciones"}[lang]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.label(lang) for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    example = dict(zip(KEYS, (cell.value for cell in sheet[2]), strict=True))
    assert example["tax_id"] == example_tax_id()
    assert example["notify"] == 1
    # Tax IDs stay text: the example cell and the cells typed later in the column.
    assert sheet["A2"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet.max_row == 2
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"1,0"'
    assert str(validation.sqref).startswith("K2:")


def test_xlsx_instructions_explain_notify_groups_and_email():
    english = load_workbook(io.BytesIO(write_template_xlsx("en")))["Instructions"]
    text = "\n".join(str(cell.value) for row in english.iter_rows() for cell in row)
    assert "1 = invite the supplier now" in text
    assert "0 = not yet" in text
    assert "separated by ';'" in text
    assert "the first one is the primary address" in text
    spanish = load_workbook(io.BytesIO(write_template_xlsx("es")))["Instrucciones"]
    text = "\n".join(str(cell.value) for row in spanish.iter_rows() for cell in row)
    assert "1 = invitar al proveedor ahora" in text
    assert "0 = todavía no" in text
    assert "el primero es el correo principal" in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_templates_read_back(tmp_path, lang, kind):
    writer = write_template_csv if kind == "csv" else write_template_xlsx
    path = tmp_path / f"template.{kind}"
    path.write_bytes(writer(lang))
    with open_table(path, path.name, max_rows=10) as table:
        [row] = list(table.rows())
        assert table.header.language == lang
        assert table.unknown_columns == ()
        if kind == "csv":
            assert table.detected.describe() == "UTF-8 with BOM, comma-separated"
        else:
            assert len(table.detected.ignored_sheets) == 1
    assert row.line == 2
    assert row.values["tax_id"] == example_tax_id()
    assert row.values["notify"] == "1"
    assert row.values["city"] == "Bogotá"
    assert row.values["country"] == "CO"


def test_unknown_language():
    with pytest.raises(ValueError, match="fr"):
        write_template_csv("fr")
    with pytest.raises(ValueError, match="fr"):
        write_template_xlsx("fr")
