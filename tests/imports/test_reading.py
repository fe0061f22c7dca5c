from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import random
import re
import time
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from suppliernet.imports.cells import ScientificNotation, cell_text, clean_excel_number
from suppliernet.imports.reading import FileRejected, Table, open_table

HEADER = [
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
]
SPANISH_HEADER = [
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


def supplier(n: int = 1, **values: str) -> list[str]:
    row = {
        "tax_id": f"900{n:06d}",
        "name": f"Proveedor {n}",
        "description": "",
        "address": f"Calle {n}",
        "city": "Bogotá",
        "province": "Cundinamarca",
        "phone": "601 555 0100",
        "fax": "",
        "email": f"p{n}@example.com",
        "groups": "",
        "notify": "1",
    }
    row.update(values)
    return list(row.values())


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def write(tmp_path: Path, content: str | bytes, name: str = "suppliers.csv", **kw) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode(kw.get("encoding", "utf-8"))
    path.write_bytes(content)
    return path


def write_xlsx(tmp_path: Path, rows: list[list[object]], name: str = "suppliers.xlsx", edit=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Proveedores"
    for row in rows:
        sheet.append(row)
    if edit is not None:
        edit(workbook, sheet)
    path = tmp_path / name
    workbook.save(path)
    return path


def excel_like_xlsx(path: Path, rows: list[list[str]], sheet_xml: str | None = None) -> Path:
    """A workbook as Excel writes it: text in the shared strings table, not inline."""
    Workbook().save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    strings: dict[str, int] = {}
    xml_rows = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{get_column_letter(column)}{number}" t="s"><v>'
            f"{strings.setdefault(value, len(strings))}</v></c>"
            for column, value in enumerate(row, start=1)
            if value
        )
        xml_rows.append(f'<row r="{number}" spans="1:12" ht="15" customHeight="1">{cells}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/worksheets/sheet1.xml"] = (
        sheet_xml
        or f'<worksheet xmlns="{main}"><sheetData>{"".join(xml_rows)}</sheetData></worksheet>'
    ).encode()
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    rich = '<r><t>Bog</t></r><r><rPr><b/></rPr><t>otá</t></r><rPh sb="0" eb="1"><t>x</t></rPh>'
    items += f"<si>{rich}</si>"
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}">{items}</sst>'.encode()
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'
        )
        .encode()
    )
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    parts["xl/_rels/workbook.xml.rels"] = (
        parts["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{relation}" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        .encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def read(path: Path, name: str | None = None, **limits) -> tuple[Table, list]:
    limits.setdefault("max_rows", 500_000)
    with open_table(path, name or path.name, **limits) as table:
        return table, list(table.rows())


def rejected(path: Path, name: str | None = None, **limits) -> FileRejected:
    limits.setdefault("max_rows", 500_000)
    with pytest.raises(FileRejected) as info:
        read(path, name, **limits)
    return info.value


# --- whole-file shape -----------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n", b",,,\r\n;;\r\n"])
def test_empty_file_is_rejected(tmp_path, content):
    error = rejected(write(tmp_path, content))
    assert error.message.startswith("The file is empty.")
    assert "Tax ID*" in error.message  # says what was expected


def test_header_only_gives_no_rows(tmp_path):
    table, rows = read(write(tmp_path, csv_text([HEADER])))
    assert rows == []
    assert table.header.missing == ()
    assert table.detected.describe() == "UTF-8, comma-separated"


def test_headers_in_another_order(tmp_path):
    header = ["Notify*", "Email*", "Name*", "Tax ID*", "City"]
    content = csv_text([header, ["0", "a@example.com", "Andes", "900123456", "Cali"]])
    _, [row] = read(write(tmp_path, content))
    assert row.values == {
        "notify": "0",
        "email": "a@example.com",
        "name": "Andes",
        "tax_id": "900123456",
        "city": "Cali",
    }


def test_missing_mandatory_column_names_it_and_lists_what_was_found(tmp_path):
    error = rejected(write(tmp_path, "Tax ID,Name,City\r\n900123456,Andes,Cali\r\n"))
    assert (
        error.message == "Missing mandatory column(s): Email*, Notify*. Found: Tax ID, Name, City."
    )


def test_missing_columns_are_named_in_the_files_language(tmp_path):
    error = rejected(write(tmp_path, "NIT;Razón social;Ciudad\r\n"))
    assert error.message.startswith(
        "Missing mandatory column(s): Correo electrónico*, Notificar*. Found: NIT, Razón social"
    )


def test_a_file_that_is_not_the_template_shows_what_it_found(tmp_path):
    error = rejected(write(tmp_path, "<!DOCTYPE html>\n<html><body>Login</body></html>\n"))
    assert "Missing mandatory column(s): Tax ID*, Name*, Email*, Notify*." in error.message
    assert "Found: <!DOCTYPE html>" in error.message


def test_unknown_extra_column_is_reported_and_ignored(tmp_path):
    content = csv_text([[*HEADER, "Internal code"], [*supplier(1), "X-17"]])
    table, [row] = read(write(tmp_path, content))
    assert table.unknown_columns == ("Internal code",)
    assert "Internal code" not in row.values
    assert row.raw[-1] == "X-17"  # kept for the error file


def test_duplicated_mandatory_column_is_rejected(tmp_path):
    error = rejected(write(tmp_path, csv_text([[*HEADER, "E-mail"]])))
    assert error.message == (
        "The column Email* appears more than once (columns I and L). "
        "Keep only one and upload the file again."
    )


def test_duplicated_optional_column_is_reported_and_the_first_wins(tmp_path):
    content = csv_text([[*HEADER, "Departamento"], [*supplier(1, province="Antioquia"), "Valle"]])
    table, [row] = read(write(tmp_path, content))
    assert table.duplicate_columns == ("Departamento",)
    assert row.values["province"] == "Antioquia"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("suppliers.pdf", b"%PDF-1.4", "Found: .pdf."),
        ("suppliers", b"a,b", "Found: a name without an extension."),
        ("suppliers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003 workbook (.xls)"),
        ("suppliers.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "(.xls)"),
        ("suppliers.xlsx", b"Tax ID*,Name*\r\n", "could not be opened as an Excel workbook"),
        ("suppliers.xlsx", b"PK\x03\x04 not really a zip", "could not be opened as an Excel"),
    ],
)
def test_wrong_kind_of_file_is_rejected(tmp_path, name, content, expected):
    error = rejected(write(tmp_path, content, name=name))
    assert expected in error.message


def test_workbook_renamed_to_csv_is_read_as_a_workbook(tmp_path):
    path = write_xlsx(tmp_path, [HEADER, supplier(1)], name="suppliers.csv")
    table, [row] = read(path)
    assert table.detected.format == "xlsx"
    assert row.values["name"] == "Proveedor 1"


def test_extension_is_case_insensitive(tmp_path):
    path = write(tmp_path, csv_text([HEADER]), name="SUPPLIERS.CSV")
    assert read(path)[1] == []


# --- encodings ------------------------------------------------------------------------


def test_utf8_bom(tmp_path):
    content = b"\xef\xbb\xbf" + csv_text([HEADER, supplier(1, city="Medellín")]).encode()
    table, [row] = read(write(tmp_path, content))
    assert table.detected.encoding == "UTF-8 with BOM"
    assert table.header.columns["tax_id"] == 0  # the BOM is not part of the first label
    assert row.values["city"] == "Medellín"


def test_windows_1252_accents(tmp_path):
    rows = [
        SPANISH_HEADER,
        supplier(1, city="Bogotá"),
        supplier(2, city="Peñalolén", province="Región Metropolitana"),
        supplier(3, city="Ñuñoa", name="Ñandú & Cía."),
    ]
    content = csv_text(rows, delimiter=";").encode("cp1252")
    table, found = read(write(tmp_path, content))
    assert table.detected.encoding == "Windows-1252"
    assert table.detected.describe() == "Windows-1252, semicolon-separated"
    assert table.header.language == "es"
    assert [row.values["city"] for row in found] == ["Bogotá", "Peñalolén", "Ñuñoa"]
    assert found[2].values["name"] == "Ñandú & Cía."


def test_windows_1252_byte_late_in_an_ascii_file_is_read_as_windows_1252(tmp_path):
    rows = [HEADER] + [supplier(n) for n in range(1, 30_000)] + [supplier(30_000, city="Bogotá")]
    content = csv_text(rows).encode("cp1252")
    assert len(content) > 1 << 20  # past the first chunk of the scan
    table, found = read(write(tmp_path, content))
    assert table.detected.encoding == "Windows-1252"
    assert found[-1].values["city"] == "Bogotá"


def test_utf8_file_with_a_late_invalid_byte_is_rejected_with_its_line(tmp_path):
    good = csv_text([HEADER, supplier(1, city="Bogotá"), supplier(2)]).encode()
    bad = csv_text([supplier(3, city="Peñalolén")]).encode("cp1252")
    error = rejected(write(tmp_path, good + bad))
    assert error.line == 4
    assert "Line 4 is not valid UTF-8" in error.message


def test_bytes_windows_1252_leaves_undefined_never_crash(tmp_path):
    content = csv_text([HEADER, supplier(1, name="Acme \x81 Ltda")]).encode("latin-1")
    _, [row] = read(write(tmp_path, content))
    assert row.values["name"] == "Acme \ufffd Ltda"


def test_utf16_is_rejected_with_advice(tmp_path):
    content = csv_text([HEADER], delimiter="\t").encode("utf-16")
    error = rejected(write(tmp_path, content))
    assert "UTF-16" in error.message
    assert "CSV UTF-8" in error.message


# --- delimiters and lines -------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiters(tmp_path, delimiter, name):
    content = csv_text([HEADER, supplier(1, address="Calle 5, No. 3; piso 2")], delimiter)
    table, [row] = read(write(tmp_path, content))
    assert table.detected.delimiter == name
    assert row.values["address"] == "Calle 5, No. 3; piso 2"


def test_semicolon_wins_even_when_labels_hold_commas(tmp_path):
    header = ["Tax ID*", "Name, legal", "Name*", "Email*", "Notify*"]
    content = csv_text([header, ["1", "a", "b", "c@example.com", "1"]], ";")
    table, _ = read(write(tmp_path, content))
    assert table.detected.delimiter == "semicolon"


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_excel_sep_line_sets_the_delimiter(tmp_path, delimiter, name):
    content = f"sep={delimiter}\r\n" + csv_text([HEADER, supplier(1)], delimiter)
    table, [row] = read(write(tmp_path, content))
    assert table.detected.delimiter == name
    assert table.header_line == 2
    assert (row.line, row.values["tax_id"]) == (3, "900000001")


def test_quoted_newline_keeps_later_line_numbers_right(tmp_path):
    rows = [
        HEADER,
        supplier(1, address="Carrera 7 # 71-21\nTorre B, piso 3\nEdificio Andes"),
        supplier(2),
        supplier(3, address="Calle 1\r\nLocal 2"),
        supplier(4),
    ]
    _, found = read(write(tmp_path, csv_text(rows)))
    assert [row.line for row in found] == [2, 5, 6, 8]
    assert found[0].values["address"] == "Carrera 7 # 71-21\nTorre B, piso 3\nEdificio Andes"


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_line_endings(tmp_path, newline):
    content = csv_text([HEADER, supplier(1), [], supplier(2)], newline=newline)
    _, found = read(write(tmp_path, content))
    assert [(row.line, row.values["notify"]) for row in found] == [(2, "1"), (4, "1")]
    assert not any("\r" in value for row in found for value in row.values.values())


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path):
    content = (
        "\r\n  \r\n"
        + csv_text([HEADER])
        + "\r\n,,,,,\r\n"
        + csv_text([supplier(1)])
        + ",,\r\n \t \r\n"
        + csv_text([supplier(2)])
        + "\r\n\r\n"
    )
    table, found = read(write(tmp_path, content))
    assert table.header_line == 3
    assert [row.line for row in found] == [6, 9]


def test_trailing_empty_columns_are_dropped(tmp_path):
    content = csv_text([[*HEADER, "", "", ""], [*supplier(1), "", " ", ""], supplier(2)[:3]])
    table, found = read(write(tmp_path, content))
    assert table.unknown_columns == ()
    assert found[0].raw == supplier(1)
    assert found[1].values["email"] == ""  # a short row: absent cells are ''


def test_values_are_stripped_raw_is_not(tmp_path):
    content = csv_text([HEADER, supplier(1, name="  Andes \u00a0", email=" a@example.com ")])
    _, [row] = read(write(tmp_path, content))
    assert row.values["name"] == "Andes"
    assert row.values["email"] == "a@example.com"
    assert row.raw[1] == "  Andes \u00a0"


def test_values_only_hold_matched_columns(tmp_path):
    _, [row] = read(write(tmp_path, csv_text([HEADER, supplier(1)])))
    assert "country" not in row.values
    assert len(row.values) == len(HEADER)


def test_neutralized_cells_from_an_error_file_round_trip(tmp_path):
    content = csv_text([HEADER, supplier(1, phone="'+57 601 555 0100", name="'Los Andes'")])
    _, [row] = read(write(tmp_path, content))
    assert row.values["phone"] == "+57 601 555 0100"
    assert row.values["name"] == "'Los Andes'"
    assert row.raw[6] == "'+57 601 555 0100"


# --- hostile and broken input ---------------------------------------------------------


def test_nul_byte_rejects_the_file_naming_the_line(tmp_path):
    content = csv_text([HEADER, supplier(1), supplier(2, name="Acme\x00 Ltda"), supplier(3)])
    error = rejected(write(tmp_path, content))
    assert error.line == 3
    assert error.message.startswith("Line 3 contains a NUL character")


def test_one_megabyte_cell_is_returned_to_the_rules_layer(tmp_path):
    huge = "x" * 1_000_000
    content = csv_text([HEADER, supplier(1, description=huge), supplier(2)])
    _, found = read(write(tmp_path, content))
    assert found[0].values["description"] == huge
    assert found[1].line == 3


def test_ten_thousand_columns_in_the_header_are_rejected(tmp_path):
    header = HEADER + [f"Extra {n}" for n in range(10_000 - len(HEADER))]
    error = rejected(write(tmp_path, csv_text([header])))
    assert error.message.startswith(
        "The header row has 10,000 columns; at most 100 are allowed. Expected: "
    )


def test_ten_thousand_columns_in_a_data_row_stop_the_file_at_that_line(tmp_path):
    wide = supplier(2) + ["x"] * 10_000
    path = write(tmp_path, csv_text([HEADER, supplier(1), wide, supplier(3)]))
    with open_table(path, "suppliers.csv", max_rows=10) as table:
        rows = table.rows()
        assert next(rows).line == 2
        with pytest.raises(FileRejected) as info:
            next(rows)
    assert info.value.line == 3
    assert info.value.message.startswith("Line 3 has 10,011 columns; at most 100 are allowed.")


def test_header_cell_longer_than_the_cell_limit_is_rejected(tmp_path):
    error = rejected(write(tmp_path, csv_text([["Tax ID*", "N" * 20_000]])))
    assert error.message.startswith("Header cell B has 20,000 characters")


@pytest.mark.parametrize(
    "content",
    [
        random.Random(7).randbytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(8).randbytes(2000),
        b"\x1f\x8b\x08\x00" + random.Random(9).randbytes(2000),  # gzip
    ],
    ids=["random", "png", "gzip"],
)
def test_binary_file_named_csv_is_rejected(tmp_path, content):
    error = rejected(write(tmp_path, content, name="suppliers.csv"))
    assert "is not a CSV text file: it contains binary data" in error.message


def test_too_many_rows_stops_mid_stream(tmp_path):
    path = write(tmp_path, csv_text([HEADER] + [supplier(n) for n in range(1, 6)]))
    seen = []
    with open_table(path, "suppliers.csv", max_rows=3) as table, pytest.raises(FileRejected) as e:
        for row in table.rows():
            seen.append(row.line)
    assert seen == [2, 3, 4]
    assert e.value.message.startswith("The file has more than 3 rows")
    assert e.value.line == 5


def test_too_many_rows_message_groups_thousands():
    from suppliernet.imports.reading import _too_many_rows

    assert _too_many_rows(500_000).startswith("The file has more than 500,000 rows")


def test_exactly_max_rows_is_fine(tmp_path):
    path = write(tmp_path, csv_text([HEADER] + [supplier(n) for n in range(1, 4)] + [[]]))
    assert len(read(path, max_rows=3)[1]) == 3


def test_unterminated_quote_does_not_crash(tmp_path):
    content = csv_text([HEADER, supplier(1)]) + '900000002,"Acme, Ltda\r\nrest,of,file\r\n'
    _, found = read(write(tmp_path, content))
    assert found[1].line == 3
    assert found[1].values["name"].startswith("Acme, Ltda")


def test_rows_can_be_read_twice(tmp_path):
    path = write(tmp_path, csv_text([HEADER, supplier(1), supplier(2)]))
    with open_table(path, "suppliers.csv", max_rows=10) as table:
        assert [r.line for r in table.rows()] == [r.line for r in table.rows()] == [2, 3]


# --- XLSX -----------------------------------------------------------------------------


def test_xlsx_values_and_sheet_row_numbers(tmp_path):
    rows = [HEADER, supplier(1), [], [None] * 5, supplier(2)]
    table, found = read(write_xlsx(tmp_path, rows))
    assert table.detected.format == "xlsx"
    assert table.detected.describe() == "Excel workbook, sheet “Proveedores”"
    assert [(row.line, row.values["tax_id"]) for row in found] == [
        (2, "900000001"),
        (5, "900000002"),
    ]


def test_xlsx_numbers_dates_booleans_and_errors(tmp_path):
    row = [
        900123456.0,
        "Andes",
        1.5,
        dt.datetime(2024, 3, 1),
        dt.datetime(2024, 3, 1, 14, 30),
        dt.date(2024, 3, 2),
        3001234567,
        "#REF!",
        "a@example.com",
        1.5e17,
        True,
    ]
    _, [found] = read(write_xlsx(tmp_path, [HEADER, row]))
    assert found.raw == [
        "900123456",
        "Andes",
        "1.5",
        "2024-03-01",
        "2024-03-01 14:30:00",
        "2024-03-02",
        "3001234567",
        "#REF!",
        "a@example.com",
        "1.5e+17",
        "1",
    ]


def test_xlsx_notify_false_reads_as_zero(tmp_path):
    _, [found] = read(write_xlsx(tmp_path, [HEADER, supplier(1, notify=False)]))
    assert found.values["notify"] == "0"


def _with_cached_values(path: Path, cached: dict[str, str]) -> None:
    """openpyxl writes no cached results for formulas; add them as Excel would."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in cached.items():
        sheet, count = re.subn(
            rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/>', rf"\1<f>\2</f><v>{value}</v>", sheet
        )
        assert count == 1, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_xlsx_formulas_give_values_not_formula_text(tmp_path):
    def formulas(workbook, sheet):
        sheet["A2"] = "=900123000+456"
        sheet["K2"] = "=1"
        sheet["D2"] = '=CONCATENATE("Calle ", 5)'  # no cached value below: comes as ''

    path = write_xlsx(tmp_path, [HEADER, supplier(1)], edit=formulas)
    _with_cached_values(path, {"A2": "900123456", "K2": "1"})
    _, [row] = read(path)
    assert row.values["tax_id"] == "900123456"
    assert row.values["notify"] == "1"
    assert row.values["address"] == ""
    assert not any(value.startswith("=") for value in row.raw)


def test_xlsx_merged_cells_and_other_sheets(tmp_path):
    def merge_and_add_sheets(workbook, sheet):
        sheet.merge_cells("C2:D3")
        workbook.create_sheet("Instrucciones").append(["Ignore me"])
        workbook.create_sheet("Old data")

    rows = [HEADER, supplier(1, description="Merged"), supplier(2, description="")]
    table, found = read(write_xlsx(tmp_path, rows, edit=merge_and_add_sheets))
    assert table.detected.ignored_sheets == ("Instrucciones", "Old data")
    assert table.detected.describe() == (
        "Excel workbook, sheet “Proveedores”; other sheets ignored: “Instrucciones”, “Old data”"
    )
    assert found[0].values["description"] == "Merged"
    assert found[0].values["address"] == ""  # covered by the merge
    assert found[1].values["description"] == found[1].values["address"] == ""


def test_xlsx_with_a_wrong_dimension_is_read_to_the_end(tmp_path):
    path = write_xlsx(tmp_path, [HEADER, supplier(1), supplier(2), supplier(3)])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        r'<dimension ref="[^"]*"', '<dimension ref="A1"', sheet
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert len(read(path)[1]) == 3


def test_xlsx_spanish_headers_and_trailing_empty_cells(tmp_path):
    rows = [[*SPANISH_HEADER, None, ""], [*supplier(1, city="Ñuñoa"), "CL", None, " "]]
    table, [row] = read(write_xlsx(tmp_path, rows))
    assert table.header.language == "es"
    assert row.values["city"] == "Ñuñoa"
    assert row.values["country"] == "CL"
    assert len(row.raw) == len(SPANISH_HEADER)


def test_xlsx_empty_first_sheet(tmp_path):
    def second_sheet(workbook, sheet):
        workbook.create_sheet("Data").append(HEADER)

    error = rejected(write_xlsx(tmp_path, [], edit=second_sheet))
    assert error.message.startswith("The first sheet (“Proveedores”) is empty.")


def test_xlsx_missing_columns(tmp_path):
    error = rejected(write_xlsx(tmp_path, [["Tax ID", "Name", "City"]]))
    assert (
        error.message == "Missing mandatory column(s): Email*, Notify*. Found: Tax ID, Name, City."
    )


def test_xlsx_too_many_rows(tmp_path):
    path = write_xlsx(tmp_path, [HEADER] + [supplier(n) for n in range(1, 5)])
    with pytest.raises(FileRejected, match="more than 2 rows"):
        read(path, max_rows=2)


def test_xlsx_wide_header_is_rejected(tmp_path):
    header = HEADER + [f"Extra {n}" for n in range(200)]
    error = rejected(write_xlsx(tmp_path, [header]))
    assert error.message.startswith("The header row has 211 columns; at most 100 are allowed.")


def test_xlsx_shared_strings_as_excel_writes_them(tmp_path):
    rows = [SPANISH_HEADER, supplier(1, city="Peñalolén"), supplier(2, city="Peñalolén")]
    path = excel_like_xlsx(tmp_path / "excel.xlsx", rows)
    table, found = read(path)
    assert table.header.language == "es"
    assert [row.values["city"] for row in found] == ["Peñalolén", "Peñalolén"]
    assert [row.line for row in found] == [2, 3]


def test_xlsx_rich_text_shared_string(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    header = "".join(
        f'<c r="{get_column_letter(n)}1" t="s"><v>{n - 1}</v></c>' for n in range(1, 12)
    )
    # Index 11 is the rich text run "Bog" + "otá" that excel_like_xlsx adds last.
    sheet = (
        f'<worksheet xmlns="{main}"><sheetData><row r="1">{header}</row>'
        f'<row r="4"><c r="E4" t="s"><v>11</v></c></row></sheetData></worksheet>'
    )
    path = excel_like_xlsx(tmp_path / "rich.xlsx", [HEADER], sheet_xml=sheet)
    _, [row] = read(path)
    assert (row.line, row.values["city"]) == (4, "Bogotá")


def test_xlsx_damaged_sheet_stops_mid_stream(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    header = "".join(
        f'<c r="{get_column_letter(n)}1" t="s"><v>{n - 1}</v></c>' for n in range(1, 12)
    )
    sheet = (
        f'<worksheet xmlns="{main}"><sheetData><row r="1">{header}</row>'
        f'<row r="2"><c r="A2" t="s"><v>999999</v></c></row></sheetData></worksheet>'
    )
    path = excel_like_xlsx(tmp_path / "damaged.xlsx", [HEADER], sheet_xml=sheet)
    error = rejected(path)
    assert error.message.startswith("The workbook could not be read after row 1.")


def test_xlsx_header_only(tmp_path):
    assert read(write_xlsx(tmp_path, [HEADER]))[1] == []


# --- cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900123456.0", "900123456"),
        ("900123456,0", "900123456"),
        (" 900123456.00 ", "900123456"),
        ("76086428.000", "76086428"),
        ("900123456", None),  # nothing to clean
        ("900.123.456-8", None),
        ("900.000", None),  # could be 900000 with a thousands separator
        ("900123456.5", None),
        ("Andes", None),
        ("", None),
    ],
)
def test_clean_excel_number(text, expected):
    assert clean_excel_number(text) == expected


@pytest.mark.parametrize(
    "text", ["9.00123456E+8", "9,00123456E+08", "9E+8", "1.2345678901234568e+17"]
)
def test_clean_excel_number_flags_scientific_notation(text):
    with pytest.raises(ScientificNotation) as info:
        clean_excel_number(text)
    assert "scientific notation" in info.value.message
    assert "Format the column as Text" in info.value.message


def test_scientific_notation_from_csv_is_left_as_text(tmp_path):
    content = csv_text(
        [HEADER, supplier(1, tax_id="9.00123456E+8"), supplier(2, tax_id="900123456.0")]
    )
    _, found = read(write(tmp_path, content))
    assert [row.values["tax_id"] for row in found] == ["9.00123456E+8", "900123456.0"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "1"),
        (False, "0"),
        (42, "42"),
        (900123456.0, "900123456"),
        (-3.0, "-3"),
        (0.1, "0.1"),
        (1e15, "1000000000000000.0"),  # past Excel's 15 digits: left for the caller to flag
        (dt.time(8, 30), "08:30:00"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


# --- streaming ------------------------------------------------------------------------


def _big_csv(tmp_path: Path, count: int, name: str = "big.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow([*HEADER, "Country"])
        for n in range(1, count + 1):
            writer.writerow([*supplier(n, description="Suministros de oficina y papelería"), "CO"])
    return path


def test_rows_is_a_lazy_generator(tmp_path):
    path = _big_csv(tmp_path, 200_000)
    with open_table(path, "big.csv", max_rows=500_000) as table:
        rows = table.rows()
        assert inspect.isgenerator(rows)
        first = [next(rows) for _ in range(3)]
        rows.close()
    assert [row.line for row in first] == [2, 3, 4]


def _peak_while_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        with open_table(path, path.name, max_rows=500_000) as table:
            for _ in table.rows():
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_rows(tmp_path):
    small = _peak_while_reading(_big_csv(tmp_path, 10_000, "small.csv"))
    large = _peak_while_reading(_big_csv(tmp_path, 100_000, "large.csv"))
    print(f"\nCSV peak traced memory: 10k rows {small / 1e6:.2f} MB, 100k {large / 1e6:.2f} MB")
    # Keeping the 90,000 extra rows would take tens of MB; the scan's 1 MB chunks are the
    # only difference between the two.
    assert large < small + 2_000_000


def test_xlsx_memory_does_not_grow_with_rows(tmp_path):
    rows = [supplier(n) for n in range(1, 6_001)]
    small = _peak_while_reading(excel_like_xlsx(tmp_path / "small.xlsx", [HEADER, *rows[:1_000]]))
    large = _peak_while_reading(excel_like_xlsx(tmp_path / "large.xlsx", [HEADER, *rows]))
    print(f"\nXLSX peak traced memory: 1k rows {small / 1e6:.2f} MB, 6k {large / 1e6:.2f} MB")
    # openpyxl alone keeps ~600 bytes a row here (shared strings and parsed rows): +3 MB.
    assert large < small + 500_000


def test_throughput(tmp_path):
    count = 100_000
    path = _big_csv(tmp_path, count)
    started = time.perf_counter()
    with open_table(path, path.name, max_rows=500_000) as table:
        read_count = sum(1 for _ in table.rows())
    elapsed = time.perf_counter() - started
    assert read_count == count
    size = path.stat().st_size / 1e6
    print(f"\nCSV: {count} rows ({size:.1f} MB) in {elapsed:.2f} s = {count / elapsed:,.0f} rows/s")

    xlsx_count = 5_000
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Proveedores")
    sheet.append([*HEADER, "Country"])
    for n in range(1, xlsx_count + 1):
        sheet.append([*supplier(n), "CO"])
    xlsx_path = tmp_path / "big.xlsx"
    workbook.save(xlsx_path)
    started = time.perf_counter()
    with open_table(xlsx_path, xlsx_path.name, max_rows=500_000) as table:
        assert sum(1 for _ in table.rows()) == xlsx_count
    elapsed = time.perf_counter() - started
    print(f"XLSX: {xlsx_count} rows in {elapsed:.2f} s = {xlsx_count / elapsed:,.0f} rows/s")
