"""The work these tests hand to real worker processes: invitations to send and an import to
run, and what the SMTP server and the import must show afterwards."""

from __future__ import annotations

from collections import Counter

from suppliernet.imports.models import SupplierImport
from suppliernet.imports.processing import start_processing
from suppliernet.invitations.sending import invite_suppliers
from suppliernet.network.models import Supplier
from tests.imports.helpers import csv_bytes, imported, row, validated


def queue_invitations(buyer, by, count: int) -> set[str]:
    """`count` suppliers (added by an import without Notify), all invited: the invitations and
    their e-mails are queued. Returns the addresses."""
    imported(buyer, by, [row(n) for n in range(1, count + 1)])
    report = invite_suppliers(buyer=buyer, suppliers=Supplier.objects.for_company(buyer), by=by)
    assert report.invited_count == count
    return {f"facturas{n}@proveedor.example" for n in range(1, count + 1)}


def notifying_rows(first: int, count: int) -> list[list[str]]:
    """New suppliers, every third one with Notify = 1."""
    return [row(n, notify="1" if n % 3 == 0 else "0") for n in range(first, first + count)]


def queue_import(buyer, by, rows: list[list[str]]) -> SupplierImport:
    """Checked in this process; processing is enqueued for the workers."""
    supplier_import = validated(buyer, by, csv_bytes(rows))
    assert supplier_import.rows_with_errors == 0, supplier_import.message
    return start_processing(supplier_import=supplier_import, by=by, valid_only=False)


def addresses_of(rows: list[list[str]]) -> set[str]:
    return {cells[8] for cells in rows if cells[10] == "1"}


def delivered_once_each(smtp_server, expected: set[str]) -> None:
    recipients = Counter(address for _sender, tos in smtp_server.envelopes for address in tos)
    twice = {address: n for address, n in recipients.items() if n > 1}
    assert not twice, f"delivered more than once: {list(twice.items())[:5]}"
    assert set(recipients) == expected
    assert len(set(smtp_server.message_ids)) == len(smtp_server.message_ids) == len(expected)
