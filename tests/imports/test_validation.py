from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from suppliernet.imports.models import Action, ImportRow, Status
from suppliernet.imports.validation import validate_file
from suppliernet.network.models import Supplier
from tests.factories import CompanyFactory, SupplierFactory, SupplierGroupFactory
from tests.imports.helpers import HEADER, csv_bytes, nit, row, upload, validated

pytestmark = pytest.mark.django_db


def rows_of(supplier_import, action=None) -> list[ImportRow]:
    found = ImportRow.objects.filter(supplier_import=supplier_import).order_by("line")
    return list(found.filter(action=action) if action else found)


def existing(company_a, n: int, **fields) -> Supplier:
    company = CompanyFactory(tax_id=nit(n))
    fields.setdefault("name", f"Proveedor {n} S.A.S.")
    fields.setdefault("email", f"facturas{n}@proveedor.example")
    return SupplierFactory(
        buyer=company_a,
        company=company,
        description="Papelería",
        address=f"Calle {n} # 11-26",
        city="Bogotá",
        province="Cundinamarca",
        phone="601 555 0100",
        **fields,
    )


def test_preview_counts_rows_to_create_update_leave_and_reject(company_a, alice):
    existing(company_a, 2, name="Old name")  # updated by the file
    unchanged = existing(company_a, 3)
    unchanged.groups.set([SupplierGroupFactory(buyer=company_a, name="papelería")])
    content = csv_bytes(
        [row(1, notify="1"), row(2), row(3), row(4, tax_id="123"), row(5, email="x@@y.com")]
    )

    supplier_import = validated(company_a, alice, content)

    assert supplier_import.status == Status.VALIDATED
    counts = (
        supplier_import.rows_total,
        supplier_import.rows_to_create,
        supplier_import.rows_to_update,
        supplier_import.rows_unchanged,
        supplier_import.rows_with_errors,
        supplier_import.rows_to_notify,
    )
    assert counts == (5, 1, 1, 1, 2, 1)
    assert [(r.line, r.action) for r in rows_of(supplier_import)] == [
        (2, Action.CREATE),
        (3, Action.UPDATE),
        (4, Action.UNCHANGED),
        (5, Action.ERROR),
        (6, Action.ERROR),
    ]
    assert Supplier.objects.for_company(company_a).count() == 2  # nothing changed yet


def test_updates_list_each_changed_field_old_and_new(company_a, alice):
    existing(company_a, 1, name="Proveedor Uno", email="old@proveedor.example")
    content = csv_bytes([row(1, city="", email="new@proveedor.example;b@proveedor.example")])

    [update] = rows_of(validated(company_a, alice, content), Action.UPDATE)

    assert update.changes == {
        "name": ["Proveedor Uno", "Proveedor 1 S.A.S."],
        "emails": ["old@proveedor.example", "new@proveedor.example; b@proveedor.example"],
        "groups": ["", "Papelería"],
    }  # the empty City cell changes nothing
    assert ("Name", "Proveedor Uno", "Proveedor 1 S.A.S.") in update.change_list


def test_error_rows_keep_line_column_value_and_message(company_a, alice):
    content = csv_bytes([row(1), row(2, notify="1.0", email="a@b")])

    [error] = rows_of(validated(company_a, alice, content), Action.ERROR)

    assert error.line == 3
    assert error.cells == row(2, notify="1.0", email="a@b")
    assert [(e["label"], e["value"]) for e in error.errors] == [
        ("Email*", "a@b"),
        ("Notify*", "1.0"),
    ]


@pytest.mark.parametrize("chunk_rows", [100, 2])
def test_a_repeated_tax_id_is_an_error_on_the_later_line_naming_the_earlier(
    company_a, alice, settings, chunk_rows
):
    settings.IMPORT_CHUNK_ROWS = chunk_rows  # the repeat in the same chunk, or a later one
    number = nit(1)
    dotted = f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9]}"
    content = csv_bytes([row(1), row(2), row(3), row(4, tax_id=dotted)])

    supplier_import = validated(company_a, alice, content)

    [error] = rows_of(supplier_import, Action.ERROR)
    assert error.line == 5
    assert error.errors[0]["value"] == dotted
    assert error.errors[0]["message"].startswith("This tax ID is also on line 2")
    assert supplier_import.rows_to_create == 3


def test_detected_format_and_unknown_columns_are_shown(company_a, alice):
    header = ["Notas", *HEADER]
    content = csv_bytes([["x", *row(1)]], header, delimiter=";", encoding="cp1252")

    supplier_import = validated(company_a, alice, content)

    assert supplier_import.detected == "Windows-1252, semicolon-separated"
    assert supplier_import.unknown_columns == ["Notas"]
    assert supplier_import.rows_to_create == 1


@pytest.mark.parametrize(
    ("city", "encoding", "bom"),
    [("Bogotá", "cp1252", b""), ("Peñalolén", "utf-8", b"\xef\xbb\xbf"), ("Ñuñoa", "cp1252", b"")],
)
def test_accents_arrive_intact_in_any_encoding(company_a, alice, city, encoding, bom):
    content = bom + csv_bytes([row(1, city=city)], encoding=encoding)
    [created] = rows_of(validated(company_a, alice, content))
    assert created.city == city


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_separators(company_a, alice, delimiter):
    content = csv_bytes([row(1), row(2)], delimiter=delimiter)
    assert validated(company_a, alice, content).rows_to_create == 2


def test_quoted_newline_inside_address_is_one_cell(company_a, alice):
    content = csv_bytes([row(1, address="Calle 93\nOficina 402"), row(2)])
    first, second = rows_of(validated(company_a, alice, content))
    assert first.address == "Calle 93\nOficina 402"
    assert second.line == 4  # the next record starts one line later


def test_headers_in_another_order_and_spanish(company_a, alice):
    header = ["Notificar*", "Correo electrónico*", "Nombre*", "NIT"]
    content = csv_bytes([["1", "ana@empresa.co", "Ana S.A.S.", nit(1)]], header)
    [created] = rows_of(validated(company_a, alice, content))
    assert (created.tax_id, created.name, created.notify) == (nit(1), "Ana S.A.S.", True)


def test_header_only_is_a_file_with_no_rows(company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([]))
    assert supplier_import.status == Status.VALIDATED and supplier_import.rows_total == 0


def test_xlsx_with_formulas_merged_cells_and_a_second_sheet(company_a, alice):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(row(1))
    sheet.append(row(2, name='=CONCATENATE("Prov","eedor")'))
    sheet.merge_cells("D2:E2")
    workbook.create_sheet("Notas").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    supplier_import = validated(company_a, alice, buffer.getvalue(), "proveedores.xlsx")

    assert supplier_import.detected.startswith("Excel workbook")
    assert "Notas" in supplier_import.detected
    first, second = rows_of(supplier_import)
    # openpyxl's workbooks hold no cached values: the formula cell reads as empty.
    assert first.action == Action.CREATE and second.action == Action.ERROR


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (csv_bytes([row(1)], HEADER[:8]), "Missing mandatory column(s): Email*, Notify*."),
        (csv_bytes([row(1)]) + b"\x00\r\n", "contains a NUL character"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary data"),
        (csv_bytes([row(1)]) + b",".join([b"x"] * 10_000) + b"\r\n", "at most 100 are allowed"),
    ],
)
def test_whole_file_problems_reject_it_with_a_message(company_a, alice, content, expected):
    supplier_import = validated(company_a, alice, content)
    assert supplier_import.status == Status.REJECTED
    assert expected in supplier_import.message
    assert not ImportRow.objects.filter(supplier_import=supplier_import).exists()


def test_too_many_rows_rejects_the_file_and_keeps_nothing_of_it(company_a, alice, settings):
    settings.IMPORT_MAX_ROWS = 3
    settings.IMPORT_CHUNK_ROWS = 2  # the first chunk is stored before the limit is hit
    supplier_import = upload(company_a, alice, csv_bytes([row(n) for n in range(4)]))

    supplier_import = validate_file(supplier_import=supplier_import)

    assert supplier_import.status == Status.REJECTED
    assert "more than 3 rows" in supplier_import.message
    assert not ImportRow.objects.filter(supplier_import=supplier_import).exists()


def test_checking_again_after_a_crash_starts_over(company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([row(1), row(2, email="")]))
    supplier_import.status = Status.VALIDATING  # the worker died while checking
    supplier_import.save()

    again = validate_file(supplier_import=supplier_import)

    assert (again.rows_total, again.rows_to_create, again.rows_with_errors) == (2, 1, 1)
    assert ImportRow.objects.filter(supplier_import=supplier_import).count() == 2


def test_a_checked_file_is_not_checked_again(company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([row(1)]))
    supplier_import.rows_total = 5  # checking again would recount it
    supplier_import.save()
    assert validate_file(supplier_import=supplier_import).rows_total == 5
