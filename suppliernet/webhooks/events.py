"""Emitting an event: one delivery row per active endpoint of the company that subscribed to
it, written in the caller's transaction; the worker is woken once that commits."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from suppliernet.companies.models import Company
from suppliernet.webhooks.models import WebhookDelivery, WebhookEndpoint


def emit(*, company: Company | Any, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """`company` may be a Company or its ID; `data` must be plain JSON."""
    company_id = getattr(company, "pk", company)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(company_id=company_id, active=True)
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    payload = {"id": str(uuid.uuid4()), "type": event, "created_at": now.isoformat(), "data": data}
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            company_id=company_id,
            endpoint=endpoint,
            event=event,
            payload=payload,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    from suppliernet.webhooks.tasks import enqueue_delivery

    # robust: the rows are committed; a failed enqueue must not undo the caller's work (the
    # next run picks them up).
    transaction.on_commit(enqueue_delivery, robust=True)
    return deliveries
