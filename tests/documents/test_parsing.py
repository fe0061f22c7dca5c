from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suppliernet.documents.kinds import DocType, Format
from suppliernet.documents.parsing import MAX_TAGS, Unreadable, parse_document
from tests.documents import samples


def parse_one(data: bytes):
    [document] = parse_document(data)
    return document


def rejection(data: bytes) -> str:
    with pytest.raises(Unreadable) as caught:
        parse_document(data)
    return caught.value.message


def test_dian_invoice_gives_issuer_receiver_and_document_facts():
    document = parse_one(samples.dian_invoice())
    assert (document.format, document.doc_type, document.type_code) == (
        Format.DIAN,
        DocType.INVOICE,
        "01",
    )
    assert document.number == "SETP990000002"
    assert document.issue_date == date(2026, 3, 14)
    assert (document.total, document.currency) == (Decimal("1190000.00"), "COP")
    issuer = document.issuer
    # schemeID carries the NIT's check digit: 800197268 + 4.
    assert (issuer.country, issuer.tax_id, issuer.tax_id_raw) == ("CO", "8001972684", "800197268-4")
    assert issuer.name == "Transportes del Norte S.A.S."
    assert issuer.email == "facturacion@norte.example"
    assert (issuer.address, issuer.city) == ("Carrera 7 # 71-21", "Bogotá")
    assert (document.receiver.country, document.receiver.tax_id) == ("CO", samples.BUYER_CO)


@pytest.mark.parametrize(
    ("root", "doc_type"),
    [("CreditNote", DocType.CREDIT_NOTE), ("DebitNote", DocType.DEBIT_NOTE)],
)
def test_dian_credit_and_debit_notes(root, doc_type):
    document = parse_one(samples.dian_invoice(root=root, number="NC-77", total="50000.00"))
    assert (document.doc_type, document.number, document.total) == (
        doc_type,
        "NC-77",
        Decimal("50000.00"),
    )


def test_dian_nit_whose_check_digit_is_6_is_not_taken_for_a_peruvian_ruc():
    nit = samples.co_nit("900000007")
    assert nit.endswith("6")
    document = parse_one(samples.dian_invoice(issuer=nit))
    assert (document.format, document.issuer.country, document.issuer.tax_id) == (
        Format.DIAN,
        "CO",
        nit,
    )


def test_dian_attached_document_is_read_through_to_the_invoice_inside():
    attached = parse_one(samples.dian_attached_document())
    plain = parse_one(samples.dian_invoice())
    assert attached == plain


def test_an_attached_document_carrying_something_else_is_rejected():
    other = '<?xml version="1.0"?><Catalogue xmlns="urn:example:catalogue"/>'
    assert "carries <Catalogue" in rejection(samples.dian_attached_document(invoice=other))


def test_sunat_invoice_in_iso_8859_1():
    document = parse_one(samples.sunat_document())
    assert (document.format, document.doc_type, document.type_code) == (
        Format.SUNAT,
        DocType.INVOICE,
        "01",
    )
    assert document.number == "F001-00000123"
    assert (document.total, document.currency) == (Decimal("1180.00"), "PEN")
    assert (document.issuer.country, document.issuer.tax_id) == ("PE", samples.SUPPLIER_PE)
    assert document.issuer.name == "Servicios Andinos del Perú S.A.C."
    assert (document.issuer.address, document.issuer.city) == ("AV. JAVIER PRADO ESTE 492", "LIMA")
    assert document.receiver.tax_id == samples.BUYER_PE


def test_sunat_credit_note():
    document = parse_one(samples.sunat_document(root="CreditNote", number="FC01-00000007"))
    assert (document.format, document.doc_type, document.number) == (
        Format.SUNAT,
        DocType.CREDIT_NOTE,
        "FC01-00000007",
    )


def test_cfdi_40_invoice():
    document = parse_one(samples.cfdi())
    assert (document.format, document.doc_type, document.type_code) == (
        Format.CFDI,
        DocType.INVOICE,
        "I",
    )
    assert document.number == "A-1024"
    assert document.issue_date == date(2026, 1, 28)
    assert (document.total, document.currency) == (Decimal("11600.00"), "MXN")
    assert (document.issuer.country, document.issuer.tax_id) == ("MX", samples.SUPPLIER_MX)
    assert document.issuer.name == "DISTRIBUIDORA MEXICANA DEL BAJIO"
    assert document.receiver.tax_id == samples.BUYER_MX


def test_cfdi_egreso_is_a_credit_note_and_without_serie_folio_the_stamp_uuid_numbers_it():
    document = parse_one(samples.cfdi(kind="E", serie="", folio=""))
    assert document.doc_type == DocType.CREDIT_NOTE
    assert document.number == "6F3E1C2A-9B4D-4E8F-A1B2-C3D4E5F60718"


def test_cfdi_payment_receipt_is_not_an_invoice():
    assert rejection(samples.cfdi(kind="P")) == (
        "A CFDI of type “P” is not an invoice (I) or a credit note (E)."
    )


def test_chilean_dte():
    document = parse_one(samples.dte())
    assert (document.format, document.doc_type, document.type_code) == (
        Format.DTE,
        DocType.INVOICE,
        "33",
    )
    assert (document.number, document.issue_date) == ("2051", date(2026, 4, 2))
    assert (document.total, document.currency) == (Decimal("119000"), "CLP")
    issuer = document.issuer
    assert (issuer.country, issuer.tax_id) == ("CL", samples.SUPPLIER_CL)
    assert issuer.name == "Transportes Cordillera Limitada"
    assert issuer.email == "dte@cordillera.example"
    assert (issuer.address, issuer.city) == ("Av. Libertador Bernardo O'Higgins 1449", "Santiago")
    assert document.receiver.tax_id == samples.BUYER_CL


def test_envio_dte_gives_each_document():
    documents = parse_document(
        samples.envio_dte({"folio": "2051"}, {"folio": "88", "kind": "61", "total": "5950"})
    )
    assert [(d.doc_type, d.number, d.total) for d in documents] == [
        (DocType.INVOICE, "2051", Decimal("119000")),
        (DocType.CREDIT_NOTE, "88", Decimal("5950")),
    ]


def test_a_bad_dte_in_an_envio_names_its_position():
    message = rejection(samples.envio_dte({"folio": "1"}, {"folio": "2", "kind": "52"}))
    assert message == "DTE #2: A DTE of type 52 is not an invoice, credit note or debit note."


def test_issuer_tax_id_with_a_wrong_check_digit_is_rejected():
    wrong = samples.SUPPLIER_CO[:-1] + str((int(samples.SUPPLIER_CO[-1]) + 1) % 10)
    message = rejection(samples.dian_invoice(issuer=wrong))
    assert message.startswith(f"The issuer's tax ID “{wrong[:-1]}-{wrong[-1]}” is not valid:")
    assert "check digit" in message


def test_malformed_xml_names_line_and_column():
    broken = samples.dian_invoice().replace(b"</cbc:ID>", b"</cbc:Id>", 1)
    message = rejection(broken)
    assert message.startswith("Malformed XML at line ")
    assert "column" in message and "mismatched tag" in message


def test_unknown_root_is_named():
    assert rejection(
        b'<?xml version="1.0"?><Comprobante xmlns="http://www.sat.gob.mx/cfd/3"/>'
    ) == (
        'Not an electronic invoice we can read (found root <Comprobante xmlns="http://www.sat.gob.mx/cfd/3">).'
    )


def test_external_entity_is_refused_and_the_local_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
        "<ID>&leak;</ID></Invoice>"
    ).encode()
    message = rejection(xxe)
    assert message.startswith("Refused for safety")
    assert "TOP-SECRET" not in message


def test_billion_laughs_is_refused():
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    bomb = f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]><lolz>&lol9;</lolz>'
    assert rejection(bomb.encode()).startswith("Refused for safety")


def test_an_external_entity_hidden_in_an_attached_document_is_refused_too(tmp_path):
    inner = (
        '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&leak;</Invoice>'
    )
    assert rejection(samples.dian_attached_document(invoice=inner)).startswith("Refused for safety")


@pytest.mark.parametrize("shape", ["deep", "wide"])
def test_a_file_of_absurdly_many_elements_is_refused_before_parsing(shape):
    count = MAX_TAGS // 2 + 1
    data = (
        b"<a>" * count + b"</a>" * count
        if shape == "deep"
        else b"<r>" + b"<a/>" * count * 2 + b"</r>"
    )
    assert rejection(data) == "The XML has more than 500,000 tags; no invoice is that large."


def test_a_missing_number_names_the_element():
    message = rejection(samples.dian_invoice(number=""))
    assert message == "The document number is missing (cbc:ID)."


def test_a_total_that_is_not_an_amount_is_rejected():
    assert rejection(samples.dian_invoice(total="1.190.000,00")) == (
        "PayableAmount is not an amount: “1.190.000,00”."
    )
