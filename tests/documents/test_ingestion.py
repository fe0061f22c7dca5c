from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from suppliernet.audit.models import AuditEntry, Channel
from suppliernet.documents.emails import NoSuggestion, use_suggested_email
from suppliernet.documents.ingestion import ingest_documents
from suppliernet.documents.kinds import Outcome
from suppliernet.documents.models import ReceivedDocument
from suppliernet.network.models import Source, Supplier
from tests.documents import samples
from tests.factories import CompanyFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def ingest(buyer, *files, by=None):
    return ingest_documents(buyer=buyer, files=files, by=by, channel=Channel.SYSTEM)


def outcomes(report) -> list[tuple[str, str]]:
    return [(r.name, r.outcome) for r in report.results]


def supplier_of(buyer, tax_id) -> Supplier:
    return Supplier.objects.for_company(buyer).get(tax_id=tax_id)


def test_a_new_issuer_joins_the_network_as_a_received_document_supplier(company_a, alice):
    report = ingest(company_a, ("factura.xml", samples.dian_invoice()), by=alice)

    assert outcomes(report) == [("factura.xml", Outcome.ACCEPTED)]
    [result] = report.results
    assert result.new_supplier and result.document == "Invoice SETP990000002 of 2026-03-14"
    assert result.issuer == "CO 800.197.268-4 Transportes del Norte S.A.S."
    supplier = supplier_of(company_a, samples.SUPPLIER_CO)
    assert str(supplier.pk) == result.supplier_id
    assert supplier.source == Source.DOCUMENT
    assert (supplier.name, supplier.address, supplier.city) == (
        "Transportes del Norte S.A.S.",
        "Carrera 7 # 71-21",
        "Bogotá",
    )
    # Nothing typed by the buyer yet: the document's e-mail is the one to invite.
    assert (supplier.email, supplier.suggested_email) == ("facturacion@norte.example", "")
    assert (supplier.last_document_date, supplier.document_count) == (
        datetime.date(2026, 3, 14),
        1,
    )
    assert supplier.company.legal_name == "Transportes del Norte S.A.S."
    document = ReceivedDocument.objects.for_company(company_a).get()
    assert (document.supplier, document.number, document.uploaded_by) == (
        supplier,
        "SETP990000002",
        alice,
    )
    assert document.email_found == "facturacion@norte.example"
    assert len(document.sha256) == 64


def test_one_audit_entry_per_ingestion(company_a, alice):
    ingest(
        company_a,
        ("a.xml", samples.dian_invoice(number="FE-1")),
        ("b.xml", samples.dian_invoice(number="FE-2", issuer=samples.SUPPLIER_CO_2)),
        ("c.xml", b"<nope"),
        by=alice,
    )
    entry = AuditEntry.objects.get(company=company_a)
    assert (entry.action, entry.actor, entry.channel) == ("documents.received", alice, "system")
    assert entry.summary == "2 accepted, 0 duplicate, 1 rejected, 0 skipped; new suppliers: 2"


def test_the_same_document_twice_is_counted_once(company_a):
    first = ingest(company_a, ("factura.xml", samples.dian_invoice()))
    again = ingest(company_a, ("reenvio.xml", samples.dian_attached_document()))

    assert outcomes(first) == [("factura.xml", Outcome.ACCEPTED)]
    [result] = again.results
    assert result.outcome == Outcome.DUPLICATE
    assert result.reason.startswith("Already received on ") and "(factura.xml)" in result.reason
    assert supplier_of(company_a, samples.SUPPLIER_CO).document_count == 1
    assert ReceivedDocument.objects.count() == 1


def test_a_document_twice_in_one_upload_names_the_first_copy(company_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("factura.xml", samples.dian_invoice())
        archive.writestr("ad/contenedor.xml", samples.dian_attached_document())
    report = ingest(company_a, ("marzo.zip", buffer.getvalue()))
    assert outcomes(report) == [
        ("marzo.zip/factura.xml", Outcome.ACCEPTED),
        ("marzo.zip/ad/contenedor.xml", Outcome.DUPLICATE),
    ]
    assert report.results[1].reason == "The same document as marzo.zip/factura.xml in this upload."


def test_same_number_of_another_type_or_issuer_is_another_document(company_a):
    report = ingest(
        company_a,
        ("a.xml", samples.dian_invoice(number="X-1")),
        ("b.xml", samples.dian_invoice(number="X-1", root="CreditNote")),
        ("c.xml", samples.dian_invoice(number="X-1", issuer=samples.SUPPLIER_CO_2)),
    )
    assert [r.outcome for r in report.results] == [Outcome.ACCEPTED] * 3
    assert supplier_of(company_a, samples.SUPPLIER_CO).document_count == 2


def test_an_existing_supplier_is_updated_and_the_buyers_email_never_overwritten(company_a):
    supplier = SupplierFactory(
        buyer=company_a,
        company=CompanyFactory(tax_id=samples.SUPPLIER_CO, legal_name="TDN"),
        name="Transportes del Norte (nuestro nombre)",
        email="pagos@norte.example",
        city="Barranquilla",
        document_count=0,
    )
    report = ingest(
        company_a,
        (
            "old.xml",
            samples.dian_invoice(number="FE-1", issue_date="2025-12-01", email="x@old.example"),
        ),
        (
            "new.xml",
            samples.dian_invoice(number="FE-2", issue_date="2026-02-01", email="y@new.example"),
        ),
    )

    assert not any(result.new_supplier for result in report.results)
    supplier.refresh_from_db()
    assert (supplier.name, supplier.city, supplier.source) == (
        "Transportes del Norte (nuestro nombre)",
        "Barranquilla",
        Source.MANUAL,
    )
    assert supplier.email == "pagos@norte.example"
    assert supplier.suggested_email == "y@new.example"  # from the newest document
    assert (supplier.document_count, supplier.last_document_date) == (2, datetime.date(2026, 2, 1))


def test_an_older_document_received_later_does_not_change_the_suggestion(company_a):
    supplier = SupplierFactory(
        buyer=company_a,
        company=CompanyFactory(tax_id=samples.SUPPLIER_CO),
        email="pagos@norte.example",
    )
    ingest(company_a, ("new.xml", samples.dian_invoice(number="FE-9", email="new@norte.example")))
    ingest(
        company_a,
        (
            "old.xml",
            samples.dian_invoice(number="FE-1", issue_date="2024-01-01", email="old@n.example"),
        ),
    )
    supplier.refresh_from_db()
    assert supplier.suggested_email == "new@norte.example"
    assert (supplier.document_count, supplier.last_document_date) == (2, datetime.date(2026, 3, 14))


def test_an_email_the_buyer_already_has_is_not_suggested(company_a):
    supplier = SupplierFactory(
        buyer=company_a,
        company=CompanyFactory(tax_id=samples.SUPPLIER_CO),
        email="pagos@norte.example",
        other_emails=["Facturacion@Norte.example"],
    )
    ingest(company_a, ("a.xml", samples.dian_invoice()))
    supplier.refresh_from_db()
    assert supplier.suggested_email == ""


def test_using_the_suggestion_keeps_the_former_primary_as_a_further_email(company_a, alice):
    supplier = SupplierFactory(
        buyer=company_a,
        email="pagos@norte.example",
        other_emails=["otra@norte.example"],
        suggested_email="facturacion@norte.example",
    )
    use_suggested_email(supplier=supplier, by=alice)
    supplier.refresh_from_db()
    assert supplier.email == "facturacion@norte.example"
    assert supplier.other_emails == ["pagos@norte.example", "otra@norte.example"]
    assert supplier.suggested_email == ""
    assert AuditEntry.objects.get().action == "supplier.email_suggestion_used"
    with pytest.raises(NoSuggestion):
        use_suggested_email(supplier=supplier, by=alice)


def test_a_document_for_another_company_is_rejected_naming_both_tax_ids(company_a):
    report = ingest(company_a, ("ajena.xml", samples.dian_invoice(receiver=samples.SUPPLIER_CO_2)))
    [result] = report.results
    assert result.outcome == Outcome.REJECTED
    assert result.reason == (
        "Addressed to CO 860.069.628-2, not to Almacenes Andinos S.A.S. (CO 900.123.456-8)."
    )
    assert not Supplier.objects.exists() and not ReceivedDocument.objects.exists()


def test_a_document_issued_by_the_buyer_itself_is_rejected(company_a):
    report = ingest(company_a, ("propia.xml", samples.dian_invoice(issuer=samples.BUYER_CO)))
    assert report.results[0].reason == (
        "Issued by Almacenes Andinos S.A.S. itself, which is not its own supplier."
    )


def test_every_file_gets_a_result_in_order_and_rejections_write_nothing(company_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bad.xml", b"<Invoice><cbc:ID>")
        archive.writestr("factura.pdf", b"%PDF-1.4")
        archive.writestr("ok.xml", samples.dian_invoice())
    report = ingest(
        company_a,
        ("lote.zip", buffer.getvalue()),
        ("otro.xml", b'<?xml version="1.0"?><Order xmlns="urn:x"/>'),
    )
    assert outcomes(report) == [
        ("lote.zip/bad.xml", Outcome.REJECTED),
        ("lote.zip/factura.pdf", Outcome.SKIPPED),
        ("lote.zip/ok.xml", Outcome.ACCEPTED),
        ("otro.xml", Outcome.REJECTED),
    ]
    assert ReceivedDocument.objects.count() == 1


def test_sunat_invoice_and_credit_note_for_a_peruvian_buyer():
    buyer = CompanyFactory(country="PE", tax_id=samples.BUYER_PE, legal_name="Distribuidora")
    report = ingest(
        buyer,
        ("F001-123.xml", samples.sunat_document()),
        ("FC01-7.xml", samples.sunat_document(root="CreditNote", number="FC01-00000007")),
    )
    assert [r.outcome for r in report.results] == [Outcome.ACCEPTED, Outcome.ACCEPTED]
    supplier = supplier_of(buyer, samples.SUPPLIER_PE)
    assert (supplier.country, supplier.name, supplier.city, supplier.document_count) == (
        "PE",
        "Servicios Andinos del Perú S.A.C.",
        "LIMA",
        2,
    )


def test_cfdi_for_a_mexican_buyer():
    buyer = CompanyFactory(country="MX", tax_id=samples.BUYER_MX, legal_name="Comercializadora")
    report = ingest(buyer, ("A-1024.xml", samples.cfdi()))
    assert report.results[0].outcome == Outcome.ACCEPTED
    supplier = supplier_of(buyer, samples.SUPPLIER_MX)
    assert (supplier.name, supplier.email, supplier.last_document_date) == (
        "DISTRIBUIDORA MEXICANA DEL BAJIO",
        "",
        datetime.date(2026, 1, 28),
    )


def test_envio_dte_with_two_documents_for_a_chilean_buyer(company_b):
    report = ingest(
        company_b,
        ("envio.xml", samples.envio_dte({"folio": "2051"}, {"folio": "88", "kind": "61"})),
    )
    assert outcomes(report) == [
        ("envio.xml #1", Outcome.ACCEPTED),
        ("envio.xml #2", Outcome.ACCEPTED),
    ]
    supplier = supplier_of(company_b, samples.SUPPLIER_CL)
    assert (supplier.document_count, supplier.email) == (2, "dte@cordillera.example")


def test_many_documents_are_written_in_chunks(company_a, monkeypatch):
    monkeypatch.setattr("suppliernet.documents.ingestion.CHUNK", 3)
    files = [
        (
            f"{n}.xml",
            samples.dian_invoice(number=f"FE-{n}", issuer=samples.co_nit(str(800_000_100 + n % 4))),
        )
        for n in range(10)
    ]
    files.append(
        ("again.xml", samples.dian_invoice(number="FE-0", issuer=samples.co_nit("800000100")))
    )
    report = ingest(company_a, *files)
    assert [r.outcome for r in report.results] == [Outcome.ACCEPTED] * 10 + [Outcome.DUPLICATE]
    assert report.results[-1].reason == "The same document as 0.xml in this upload."
    assert sorted(Supplier.objects.values_list("document_count", flat=True)) == [2, 2, 3, 3]
    assert report.new_suppliers == 4
