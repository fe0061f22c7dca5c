"""Posting deliveries to a real HTTP server: signing, retries, limits on targets."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from suppliernet.webhooks.delivery import deliver_due
from suppliernet.webhooks.events import emit
from suppliernet.webhooks.models import DeliveryStatus, Event, WebhookDelivery
from tests.webhooks.factories import WebhookEndpointFactory

DATA = {"invitation": {"id": "9f1c…", "status": "sent"}}


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does with X-SupplierNet-Signature."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(
        expected.hexdigest(), fields["v1"]
    )


def make_due() -> None:
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_event_is_written_for_each_subscribed_active_endpoint(company_a, company_b, endpoint):
    WebhookEndpointFactory(company=company_a, events=[Event.IMPORT_FINISHED])
    WebhookEndpointFactory(company=company_a, active=False)
    WebhookEndpointFactory(company=company_b)
    [delivery] = emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    assert delivery.endpoint == endpoint
    assert (delivery.payload["type"], delivery.payload["data"]) == ("invitation.sent", DATA)
    assert WebhookDelivery.objects.count() == 1


def test_an_event_in_a_rolled_back_transaction_leaves_nothing(company_a, endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_is_signed_so_the_receiver_can_check_it(company_a, endpoint, receiver):
    [delivery] = emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    report = deliver_due()
    assert (report.claimed, report.delivered) == (1, 1)

    [request] = receiver.requests
    assert request.path == "/hooks?source=suppliernet"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-SupplierNet-Event"] == "invitation.sent"
    assert request.headers["X-SupplierNet-Delivery"] == str(delivery.id)
    assert verify(endpoint.secret, request.headers["X-SupplierNet-Signature"], request.body)
    assert not verify("whsec_other", request.headers["X-SupplierNet-Signature"], request.body)
    assert not verify(endpoint.secret, request.headers["X-SupplierNet-Signature"], b"{}")
    assert json.loads(request.body)["data"] == DATA

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    assert delivery.delivered_at is not None


def test_a_failed_attempt_is_retried_later_with_backoff(company_a, endpoint, receiver):
    receiver.answer(500, 200)
    emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    assert deliver_due().retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.PENDING,
        1,
        500,
    )
    assert "500" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    assert deliver_due().claimed == 0  # not before its time

    make_due()
    assert deliver_due().delivered == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        2,
        "",
    )
    first, second = receiver.requests
    assert first.body == second.body  # the same event, signed afresh


def test_after_the_last_attempt_a_delivery_fails(company_a, endpoint, receiver, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    receiver.answer(503, 503, 200)
    emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    deliver_due()
    make_due()
    assert deliver_due().failed == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    make_due()
    assert deliver_due().claimed == 0
    assert len(receiver.requests) == 2


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    company_a, endpoint, receiver, settings
):
    settings.WEBHOOKS_TIMEOUT = 1
    receiver.delay = 1.5
    emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    assert deliver_due().retrying == 1
    assert "timed out" in WebhookDelivery.objects.get().last_error


def test_redirects_are_not_followed(company_a, endpoint, receiver):
    receiver.answer(302)
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    assert deliver_due().retrying == 1
    assert WebhookDelivery.objects.get().last_status_code == 302
    assert len(receiver.requests) == 1


def test_in_production_a_private_address_is_refused_at_delivery(
    company_a, endpoint, receiver, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    assert deliver_due().failed == 1
    delivery = WebhookDelivery.objects.get()
    assert "public" in delivery.last_error or "server itself" in delivery.last_error
    assert not receiver.requests


def test_a_name_that_does_not_resolve_is_retried_not_a_crash(company_a, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    WebhookEndpointFactory(company=company_a, url="http://no-such-host.invalid/hooks")
    emit(company=company_a, event=Event.INVITATION_SENT, data=DATA)
    assert deliver_due().retrying == 1
    assert "resolve" in WebhookDelivery.objects.get().last_error


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_delivers_what_a_transaction_emitted(company_a, endpoint, receiver):
    with transaction.atomic():
        emit(company=company_a, event=Event.IMPORT_FINISHED, data={"import": {}})
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1
