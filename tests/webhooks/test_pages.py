"""Company → Webhooks: endpoints and their delivery log."""

from __future__ import annotations

from django.urls import reverse

from suppliernet.audit.models import AuditEntry
from suppliernet.webhooks.models import DeliveryStatus, Event, WebhookEndpoint
from tests.webhooks.factories import WebhookDeliveryFactory, WebhookEndpointFactory


def test_an_admin_adds_an_endpoint_and_reads_its_secret(alice_client, company_a, alice):
    response = alice_client.post(
        reverse("webhook_add"),
        {"url": "https://erp.example.com/hooks", "events": [Event.INVITATION_ACCEPTED]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhook_detail", args=[endpoint.id])
    assert (endpoint.company, endpoint.events, endpoint.active, endpoint.created_by) == (
        company_a,
        ["invitation.accepted"],
        True,
        alice,
    )
    assert endpoint.secret.startswith("whsec_")
    page = alice_client.get(response["Location"]).content.decode()
    assert endpoint.secret in page and "X-SupplierNet-Signature" in page
    assert AuditEntry.objects.filter(action="webhook.added").exists()


def test_an_endpoint_needs_a_public_http_url_and_an_event(alice_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    for data in (
        {"url": "http://127.0.0.1:8000/x", "events": ["import.finished"]},
        {"url": "ftp://erp.example.com/", "events": ["import.finished"]},
        {"url": "https://erp.example.com/", "events": []},
        {"url": "https://erp.example.com/", "events": ["nothing.happened"]},
    ):
        assert alice_client.post(reverse("webhook_add"), data).status_code == 400, data
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_shows_each_delivery(alice_client, company_a):
    endpoint = WebhookEndpointFactory(company=company_a)
    WebhookDeliveryFactory(
        endpoint=endpoint,
        status=DeliveryStatus.PENDING,
        attempts=1,
        last_status_code=500,
        last_error="HTTP 500 Internal Server Error",
    )
    WebhookDeliveryFactory(endpoint=endpoint, event=Event.IMPORT_FINISHED)
    page = alice_client.get(reverse("webhook_detail", args=[endpoint.id])).content.decode()
    assert "HTTP 500 Internal Server Error" in page and "import.finished" in page


def test_pause_activate_and_remove(alice_client, company_a):
    endpoint = WebhookEndpointFactory(company=company_a)
    alice_client.post(reverse("webhook_pause", args=[endpoint.id]))
    endpoint.refresh_from_db()
    assert not endpoint.active
    alice_client.post(reverse("webhook_activate", args=[endpoint.id]))
    endpoint.refresh_from_db()
    assert endpoint.active
    response = alice_client.post(reverse("webhook_remove", args=[endpoint.id]))
    assert response["Location"] == reverse("webhook_list")
    assert not WebhookEndpoint.objects.exists()


def test_members_cannot_manage_webhooks(bob_client, company_a):
    endpoint = WebhookEndpointFactory(company=company_a)
    assert bob_client.get(reverse("webhook_list")).status_code == 403
    assert bob_client.get(reverse("webhook_detail", args=[endpoint.id])).status_code == 403
    assert bob_client.post(reverse("webhook_remove", args=[endpoint.id])).status_code == 403
    assert WebhookEndpoint.objects.exists()


def test_another_companys_endpoints_are_invisible(charlie_client, company_a):
    endpoint = WebhookEndpointFactory(company=company_a, url="https://a.example.com/hooks")
    assert "a.example.com" not in charlie_client.get(reverse("webhook_list")).content.decode()
    assert charlie_client.get(reverse("webhook_detail", args=[endpoint.id])).status_code == 404
