"""Events from where they happen: the outbox delivering an invitation, a supplier
registering, an import finishing."""

from __future__ import annotations

from suppliernet.invitations.sending import invite_supplier, resend_invitation
from suppliernet.outbox.delivery import deliver_due as deliver_mail
from suppliernet.registration.registering import CompanyDetails, NewPerson, register_company
from suppliernet.webhooks.delivery import deliver_due as deliver_webhooks
from suppliernet.webhooks.models import Event, WebhookDelivery
from tests.factories import CompanyFactory, SupplierFactory
from tests.imports.helpers import csv_bytes, imported, row, validated
from tests.invitations.factories import InvitationFactory
from tests.webhooks.factories import WebhookEndpointFactory


def test_an_invitation_accepted_by_the_mail_server_is_sent(
    smtp_server, company_a, alice, endpoint, receiver
):
    supplier = SupplierFactory(buyer=company_a)
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=["ana@norte.example"], by=alice
    )
    assert not WebhookDelivery.objects.exists()  # queued is not an event
    deliver_mail()
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == Event.INVITATION_SENT
    data = delivery.payload["data"]["invitation"]
    assert (data["id"], data["status"], data["email"]) == (
        str(invitation.id),
        "sent",
        "ana@norte.example",
    )
    assert data["sent_at"] is not None and "code" not in data
    deliver_webhooks()
    assert len(receiver.requests) == 1


def test_an_invitation_refused_for_good_is_failed(smtp_server, company_a, alice, endpoint):
    smtp_server.reject("nadie@norte.example")
    supplier = SupplierFactory(buyer=company_a)
    invite_supplier(buyer=company_a, supplier=supplier, emails=["nadie@norte.example"], by=alice)
    deliver_mail()
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == Event.INVITATION_FAILED
    assert delivery.payload["data"]["invitation"]["status"] == "failed"
    assert "550" in delivery.payload["data"]["invitation"]["failure_reason"]


def test_a_temporary_failure_is_not_an_event(smtp_server, company_a, alice, endpoint):
    smtp_server.defer(1)
    supplier = SupplierFactory(buyer=company_a)
    invite_supplier(buyer=company_a, supplier=supplier, emails=["ana@norte.example"], by=alice)
    deliver_mail()
    assert not WebhookDelivery.objects.exists()


def test_a_message_replaced_by_a_resend_reports_nothing(smtp_server, company_a, alice, endpoint):
    supplier = SupplierFactory(buyer=company_a)
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=["ana@norte.example"], by=alice
    )
    resend_invitation(invitation=invitation, by=alice)
    deliver_mail()  # the first message and its replacement
    assert WebhookDelivery.objects.filter(event=Event.INVITATION_SENT).count() == 1


def test_only_subscribed_endpoints_of_the_buyer_hear_of_it(
    smtp_server, company_a, company_b, alice
):
    WebhookEndpointFactory(company=company_a, events=[Event.IMPORT_FINISHED])
    WebhookEndpointFactory(company=company_b)
    supplier = SupplierFactory(buyer=company_a)
    invite_supplier(buyer=company_a, supplier=supplier, emails=["ana@norte.example"], by=alice)
    deliver_mail()
    assert not WebhookDelivery.objects.exists()


def test_registering_reports_each_buyers_invitation_as_accepted(company_a, company_b):
    norte = CompanyFactory(country="CO", tax_id="8001972684", legal_name="Norte")
    mine = InvitationFactory(
        buyer=company_a, supplier=SupplierFactory(buyer=company_a, company=norte)
    )
    theirs = InvitationFactory(
        buyer=company_b, supplier=SupplierFactory(buyer=company_b, company=norte)
    )
    endpoint_a = WebhookEndpointFactory(company=company_a)
    endpoint_b = WebhookEndpointFactory(company=company_b)

    register_company(
        invitation_id=mine.id,
        details=CompanyDetails("Norte S.A.S.", "Calle 1", "Bogotá", "", "", ""),
        person=NewPerson("Ana Gómez", "ana@norte.example", "tornillo verde cafetal 2027"),
    )

    for endpoint, invitation in ((endpoint_a, mine), (endpoint_b, theirs)):
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.event == Event.INVITATION_ACCEPTED
        data = delivery.payload["data"]["invitation"]
        assert (data["id"], data["status"]) == (str(invitation.id), "accepted")
        assert data["accepted_at"] is not None


def test_a_processed_import_is_finished(company_a, alice, endpoint, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    supplier_import = imported(company_a, alice, [row(1), row(2)])
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == Event.IMPORT_FINISHED
    data = delivery.payload["data"]["import"]
    assert (data["id"], data["status"], data["result"]["created"]) == (
        str(supplier_import.id),
        "done",
        2,
    )


def test_an_import_rejected_by_the_checks_is_finished_but_a_checked_one_is_not(
    company_a, alice, endpoint, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    validated(company_a, alice, csv_bytes([row(1)]))
    assert not WebhookDelivery.objects.exists()  # waiting for Process File: not finished
    settings.IMPORT_MAX_ROWS = 1
    rejected = validated(company_a, alice, csv_bytes([row(1), row(2)]))
    assert rejected.status == "rejected"
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["data"]["import"]["status"] == "rejected"
