from __future__ import annotations

import pytest

from suppliernet.audit.models import AuditEntry
from suppliernet.companies.models import Company
from suppliernet.imports.models import ImportRow, NotifyOutcome, Outcome, Status
from suppliernet.imports.processing import (
    ProcessingRefused,
    process_file,
    start_processing,
    write_chunk,
)
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Source, Supplier, SupplierGroup
from suppliernet.outbox.models import OutgoingMail
from tests.factories import CompanyFactory, SupplierFactory
from tests.imports.helpers import csv_bytes, imported, nit, processed, row, validated
from tests.invitations.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def suppliers(company) -> dict[str, Supplier]:
    return {s.tax_id: s for s in Supplier.objects.for_company(company).prefetch_related("groups")}


def outcomes(supplier_import) -> dict[int, tuple[str, str]]:
    rows = ImportRow.objects.filter(supplier_import=supplier_import)
    return {r.line: (r.outcome, r.notify_outcome) for r in rows}


def test_processing_creates_suppliers_companies_and_groups(company_a, alice):
    supplier_import = imported(
        company_a,
        alice,
        [row(1, groups="Logística; Críticos", email="a@uno.example;b@uno.example"), row(2)],
    )

    assert supplier_import.status == Status.DONE
    assert (supplier_import.created, supplier_import.updated, supplier_import.unchanged) == (
        2,
        0,
        0,
    )
    found = suppliers(company_a)
    first = found[nit(1)]
    assert first.company == Company.objects.get(country="CO", tax_id=nit(1))
    assert first.company.legal_name == "Proveedor 1 S.A.S."
    assert (first.email, first.other_emails) == ("a@uno.example", ["b@uno.example"])
    assert sorted(g.name for g in first.groups.all()) == ["Críticos", "Logística"]
    assert first.source == Source.IMPORT
    assert (first.name_folded, first.city_folded) == ("proveedor 1 s.a.s.", "bogota")
    assert [g.name for g in found[nit(2)].groups.all()] == ["Papelería"]
    assert outcomes(supplier_import) == {2: (Outcome.CREATED, ""), 3: (Outcome.CREATED, "")}


def test_a_supplier_company_already_on_suppliernet_is_reused(company_a, company_b, alice):
    other = SupplierFactory(buyer=company_b, company=CompanyFactory(tax_id=nit(1)))
    imported(company_a, alice, [row(1)])
    assert suppliers(company_a)[nit(1)].company == other.company
    assert Company.objects.filter(tax_id=nit(1)).count() == 1


def test_notify_1_invites_through_the_outbox_and_notify_0_does_not(company_a, alice):
    supplier_import = imported(
        company_a, alice, [row(1, notify="1", email="a@uno.example;b@uno.example"), row(2)]
    )

    [invitation] = Invitation.objects.for_company(company_a)
    assert invitation.supplier == suppliers(company_a)[nit(1)]
    assert invitation.email == "a@uno.example"  # the primary address only
    assert invitation.created_by == alice and invitation.channel == "import"
    assert OutgoingMail.objects.filter(to="a@uno.example").count() == 1
    assert OutgoingMail.objects.count() == 1
    assert supplier_import.invited == 1 and supplier_import.skipped == {}
    assert outcomes(supplier_import)[2] == (Outcome.CREATED, NotifyOutcome.INVITED)


def test_notify_skips_registered_and_already_invited_suppliers_with_the_reason(company_a, alice):
    registered = CompanyFactory(tax_id=nit(1), registered_at="2026-01-01T00:00Z")
    SupplierFactory(buyer=company_a, company=registered)
    invited = SupplierFactory(
        buyer=company_a, company=CompanyFactory(tax_id=nit(2)), email="facturas2@proveedor.example"
    )
    InvitationFactory(buyer=company_a, supplier=invited, email="facturas2@proveedor.example")

    supplier_import = imported(company_a, alice, [row(n, notify="1") for n in (1, 2, 3)])

    assert supplier_import.invited == 1
    assert supplier_import.skipped == {"registered": 1, "already_invited": 1}
    assert Invitation.objects.for_company(company_a).count() == 2
    assert {line: notify for line, (_o, notify) in outcomes(supplier_import).items()} == {
        2: NotifyOutcome.REGISTERED,
        3: NotifyOutcome.ALREADY_INVITED,
        4: NotifyOutcome.INVITED,
    }


def test_updates_write_the_file_and_empty_optional_cells_keep_stored_values(company_a, alice):
    SupplierFactory(
        buyer=company_a,
        company=CompanyFactory(tax_id=nit(1)),
        name="Old",
        description="Kept",
        city="Medellín",
        phone="604 111",
        email="old@uno.example",
        other_emails=["older@uno.example"],
        source=Source.MANUAL,
    )

    supplier_import = imported(
        company_a,
        alice,
        [row(1, description="", city="", phone="601 222", email="new@uno.example")],
    )

    assert (supplier_import.created, supplier_import.updated) == (0, 1)
    supplier = suppliers(company_a)[nit(1)]
    assert (supplier.name, supplier.description, supplier.city) == (
        "Proveedor 1 S.A.S.",
        "Kept",
        "Medellín",
    )
    assert supplier.city_folded == "medellin"
    assert (supplier.phone, supplier.email, supplier.other_emails) == (
        "601 222",
        "new@uno.example",
        [],
    )
    assert supplier.source == Source.MANUAL  # where it came from first
    assert [g.name for g in supplier.groups.all()] == ["Papelería"]


def test_groups_are_added_never_removed_and_matched_ignoring_case(company_a, alice):
    # ASCII only: SQLite's lower() in the groups' unique constraint does not fold "Í".
    imported(company_a, alice, [row(1, groups="Logistica")])
    imported(company_a, alice, [row(1, groups="LOGISTICA;Críticos")])
    supplier = suppliers(company_a)[nit(1)]
    assert sorted(g.name for g in supplier.groups.all()) == ["Críticos", "Logistica"]
    assert SupplierGroup.objects.for_company(company_a).count() == 2


def test_uploading_the_same_file_again_changes_nothing_and_sends_nothing(company_a, alice):
    rows = [row(n, notify="1" if n % 2 else "0") for n in range(1, 7)]
    imported(company_a, alice, rows)
    before = {s.tax_id: s.updated_at for s in Supplier.objects.for_company(company_a)}
    mails = OutgoingMail.objects.count()

    again = imported(company_a, alice, rows)

    assert (again.rows_to_create, again.rows_to_update, again.rows_unchanged) == (0, 0, 6)
    assert (again.created, again.updated, again.unchanged, again.invited) == (0, 0, 6, 0)
    assert again.skipped == {"already_invited": 3}
    assert {s.tax_id: s.updated_at for s in Supplier.objects.for_company(company_a)} == before
    assert OutgoingMail.objects.count() == mails == 3
    assert Invitation.objects.for_company(company_a).count() == 3


def test_resuming_after_a_crash_finishes_without_duplicates_and_counts_exactly(
    company_a, alice, settings
):
    settings.IMPORT_CHUNK_ROWS = 3
    rows = [row(n, notify="1" if n % 2 else "0") for n in range(1, 11)]
    supplier_import = validated(company_a, alice, csv_bytes(rows))
    start_processing(supplier_import=supplier_import, by=alice, valid_only=False, enqueue=False)
    assert write_chunk(supplier_import=supplier_import)
    assert write_chunk(supplier_import=supplier_import)
    # The worker died here: the import still says processing, 6 rows are written.
    supplier_import.refresh_from_db()
    assert (supplier_import.status, supplier_import.rows_done) == (Status.PROCESSING, 6)

    supplier_import = process_file(supplier_import=supplier_import)

    assert supplier_import.status == Status.DONE
    assert (supplier_import.created, supplier_import.invited, supplier_import.rows_done) == (
        10,
        5,
        10,
    )
    assert Supplier.objects.for_company(company_a).count() == 10
    assert Invitation.objects.for_company(company_a).count() == 5
    assert OutgoingMail.objects.count() == 5
    assert process_file(supplier_import=supplier_import).created == 10  # a third run: nothing


def test_a_failed_import_is_resumed_by_processing_it_again(company_a, alice, settings):
    settings.IMPORT_CHUNK_ROWS = 2
    supplier_import = validated(company_a, alice, csv_bytes([row(n) for n in range(1, 6)]))
    start_processing(supplier_import=supplier_import, by=alice, valid_only=False, enqueue=False)
    write_chunk(supplier_import=supplier_import)
    supplier_import.refresh_from_db()
    supplier_import.status = Status.FAILED
    supplier_import.save()

    resumed = processed(supplier_import, alice)

    assert (resumed.status, resumed.created, resumed.rows_done) == (Status.DONE, 5, 5)
    assert resumed.processed_by == alice


def test_with_errors_only_the_valid_rows_are_processed_when_chosen(company_a, alice):
    supplier_import = validated(
        company_a, alice, csv_bytes([row(1), row(2, notify="2"), row(3, notify="1")])
    )
    with pytest.raises(ProcessingRefused, match="Some rows have errors"):
        start_processing(supplier_import=supplier_import, by=alice, valid_only=False)

    supplier_import = processed(supplier_import, alice, valid_only=True)

    assert (supplier_import.created, supplier_import.failed, supplier_import.invited) == (2, 1, 1)
    assert set(suppliers(company_a)) == {nit(1), nit(3)}
    assert outcomes(supplier_import)[3] == ("", "")


def test_a_file_without_valid_rows_cannot_be_processed(company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([row(1, name="")]))
    with pytest.raises(ProcessingRefused, match="No row of this file can be imported"):
        start_processing(supplier_import=supplier_import, by=alice, valid_only=True)


def test_processing_twice_is_refused(company_a, alice):
    supplier_import = imported(company_a, alice, [row(1)])
    with pytest.raises(ProcessingRefused, match="not waiting to be processed"):
        start_processing(supplier_import=supplier_import, by=alice, valid_only=False)


def test_one_audit_entry_per_import_names_who_the_file_and_the_counts(company_a, alice):
    supplier_import = imported(company_a, alice, [row(n) for n in range(1, 4)])
    [entry] = AuditEntry.objects.for_company(company_a).filter(action="suppliers.imported")
    assert entry.actor == alice and entry.channel == "import"
    assert entry.target_id == str(supplier_import.pk)
    assert entry.summary.startswith(f"suppliers.csv (sha256 {supplier_import.sha256[:12]}…)")
    assert "3 created, 0 updated, 0 unchanged, 0 invited, 0 skipped, 0 failed" in entry.summary


def test_cells_starting_like_a_formula_are_stored_as_text(company_a, alice):
    imported(company_a, alice, [row(1, name='=HYPERLINK("http://x","y")', phone="+57 601")])
    supplier = suppliers(company_a)[nit(1)]
    assert (supplier.name, supplier.phone) == ('=HYPERLINK("http://x","y")', "+57 601")
