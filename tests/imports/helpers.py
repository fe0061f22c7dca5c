"""Building supplier files and running an import through its real code path."""

from __future__ import annotations

import csv
import io

from django.core.files.base import ContentFile

from suppliernet.imports.models import SupplierImport
from suppliernet.imports.processing import start_processing
from suppliernet.imports.tasks import process_import, validate_import
from suppliernet.imports.template import header_labels
from suppliernet.imports.uploads import start_import
from tests.factories import colombian_nit

HEADER = header_labels("en")[:11]  # without the optional Country column
KEYS = (
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
)


def nit(n: int) -> str:
    """A valid Colombian NIT, compact (as stored)."""
    return colombian_nit(500_000 + n)


def row(n: int, **values: str) -> list[str]:
    cells = {
        "tax_id": nit(n),
        "name": f"Proveedor {n} S.A.S.",
        "description": "Papelería",
        "address": f"Calle {n} # 11-26",
        "city": "Bogotá",
        "province": "Cundinamarca",
        "phone": "601 555 0100",
        "fax": "",
        "email": f"facturas{n}@proveedor.example",
        "groups": "Papelería",
        "notify": "0",
    }
    cells.update(values)
    return [cells[key] for key in KEYS]


def csv_bytes(
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER if header is None else header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(buyer, by, content: bytes, name: str = "suppliers.csv") -> SupplierImport:
    """Stores the file as the upload page does; the validation task is not enqueued."""
    return start_import(
        buyer=buyer, file=ContentFile(content, name=name), file_name=name, by=by, enqueue=False
    )


def validated(buyer, by, content: bytes, name: str = "suppliers.csv") -> SupplierImport:
    """Uploaded and checked by the validation task's own code."""
    supplier_import = upload(buyer, by, content, name)
    validate_import.call(str(supplier_import.pk))
    supplier_import.refresh_from_db()
    return supplier_import


def processed(supplier_import: SupplierImport, by, *, valid_only: bool = False) -> SupplierImport:
    """Process File, then the process task's own code."""
    start_processing(supplier_import=supplier_import, by=by, valid_only=valid_only, enqueue=False)
    process_import.call(str(supplier_import.pk))
    supplier_import.refresh_from_db()
    return supplier_import


def imported(buyer, by, rows: list[list[str]], **kwargs) -> SupplierImport:
    return processed(validated(buyer, by, csv_bytes(rows, **kwargs)), by)
