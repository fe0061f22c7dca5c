"""What received documents change on the Suppliers list and a supplier's page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suppliernet.audit.models import Channel
from suppliernet.documents.ingestion import ingest_documents
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier
from tests.documents import samples
from tests.factories import CompanyFactory, SupplierFactory
from tests.invitations.factories import InvitationFactory

LIST = reverse("supplier_list")


def names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


def receive(buyer, **invoice):
    ingest_documents(
        buyer=buyer,
        files=[("f.xml", samples.dian_invoice(**invoice))],
        by=None,
        channel=Channel.API,
    )


@pytest.fixture
def network(company_a):
    """A supplier typed by hand, two that invoiced company A and one of those invited."""
    SupplierFactory(buyer=company_a, name="A mano Ltda.")
    receive(company_a, issuer_name="Norte S.A.S.", issue_date="2026-03-14")
    receive(
        company_a,
        issuer=samples.SUPPLIER_CO_2,
        issuer_name="Invitado S.A.S.",
        number="FE-9",
        issue_date="2026-01-05",
        email="ventas@invitado.example",
    )
    invited = Supplier.objects.for_company(company_a).get(tax_id=samples.SUPPLIER_CO_2)
    InvitationFactory(buyer=company_a, supplier=invited)
    return company_a


def test_a_supplier_discovered_from_an_upload_shows_in_the_list_with_its_last_document(
    alice_client, company_a
):
    alice_client.post(
        reverse("document_upload"),
        {"files": [SimpleUploadedFile("factura.xml", samples.dian_invoice())]},
    )
    response = alice_client.get(LIST)
    html = response.content.decode()
    assert names(response) == ["Transportes del Norte S.A.S."]
    assert "Last document" in html
    assert '<td class="last-document">03/14/2026</td>' in html
    detail = alice_client.get(response.context["page"].object_list[0].get_absolute_url())
    assert "Received document" in detail.content.decode()  # its source


def test_suppliers_without_documents_show_a_dash(alice_client, company_a):
    SupplierFactory(buyer=company_a)
    assert '<td class="last-document">—</td>' in alice_client.get(LIST).content.decode()


def test_filter_has_sent_documents(alice_client, network):
    assert names(alice_client.get(LIST, {"documents": "received"})) == [
        "Invitado S.A.S.",
        "Norte S.A.S.",
    ]


def test_filter_sent_documents_never_invited(alice_client, network):
    assert names(alice_client.get(LIST, {"documents": "uninvited"})) == ["Norte S.A.S."]


def test_sort_by_latest_document_puts_suppliers_without_documents_last(alice_client, network):
    assert names(alice_client.get(LIST, {"sort": "-last_document"})) == [
        "Norte S.A.S.",
        "Invitado S.A.S.",
        "A mano Ltda.",
    ]


def test_everyone_who_invoiced_and_was_never_invited_is_invited_in_two_clicks(
    alice_client, network
):
    # Click 1: the filter. Click 2: Invite Selected over everything it matches.
    page = alice_client.get(LIST, {"documents": "uninvited"})
    assert page.context["counts"]["total"] == 1
    alice_client.post(
        reverse("invite_selected"), {"all_matching": "1", "query": "documents=uninvited"}
    )
    invitation = Invitation.objects.get(supplier__name="Norte S.A.S.")
    assert invitation.email == "facturacion@norte.example"  # found in the invoice
    assert names(alice_client.get(LIST, {"documents": "uninvited"})) == []


def test_supplier_page_lists_its_documents_and_offers_the_email_found(alice_client, company_a):
    supplier = SupplierFactory(
        buyer=company_a,
        company=CompanyFactory(tax_id=samples.SUPPLIER_CO),
        email="pagos@norte.example",
    )
    receive(company_a, email="facturacion@norte.example")
    html = alice_client.get(supplier.get_absolute_url()).content.decode()
    assert "SETP990000002" in html and "1 document received, issued March 14, 2026." in html
    assert "<strong>facturacion@norte.example</strong>" in html
    assert "Use as primary e-mail" in html

    use = reverse("supplier_use_suggested_email", args=[supplier.id])
    response = alice_client.post(use, follow=True)
    assert "facturacion@norte.example is now the primary e-mail." in response.content.decode()
    supplier.refresh_from_db()
    assert (supplier.email, supplier.other_emails) == (
        "facturacion@norte.example",
        ["pagos@norte.example"],
    )
    assert (
        "Use as primary e-mail"
        not in alice_client.get(supplier.get_absolute_url()).content.decode()
    )


def test_members_see_the_suggestion_but_cannot_use_it(bob_client, company_a):
    supplier = SupplierFactory(buyer=company_a, suggested_email="nuevo@norte.example")
    html = bob_client.get(supplier.get_absolute_url()).content.decode()
    assert "nuevo@norte.example" in html and "Use as primary e-mail" not in html
    response = bob_client.post(reverse("supplier_use_suggested_email", args=[supplier.id]))
    assert response.status_code == 403
    supplier.refresh_from_db()
    assert supplier.suggested_email == "nuevo@norte.example"


def test_another_companys_supplier_email_cannot_be_changed(charlie_client, company_a):
    supplier = SupplierFactory(buyer=company_a, suggested_email="nuevo@norte.example")
    response = charlie_client.post(reverse("supplier_use_suggested_email", args=[supplier.id]))
    assert response.status_code == 404
