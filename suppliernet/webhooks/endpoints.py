"""Adding, switching and removing a company's webhook endpoints (audited)."""

from __future__ import annotations

from django.db import transaction

from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, User
from suppliernet.webhooks.models import WebhookEndpoint
from suppliernet.webhooks.signing import new_secret


def add_endpoint(*, company: Company, url: str, events: list[str], by: User) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            company=company, url=url, events=events, secret=new_secret(), created_by=by
        )
        record(
            company=company,
            actor=by,
            action="webhook.added",
            target=endpoint,
            summary=f"{url} ({', '.join(events)})",
        )
    return endpoint


def set_active(*, endpoint: WebhookEndpoint, active: bool, by: User) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint.active = active
        endpoint.save(update_fields=["active"])
        record(
            company=endpoint.company,
            actor=by,
            action="webhook.activated" if active else "webhook.paused",
            target=endpoint,
            summary=endpoint.url,
        )
    return endpoint


def remove_endpoint(*, endpoint: WebhookEndpoint, by: User) -> None:
    """Its pending deliveries go with it: nobody wants them any more."""
    with transaction.atomic():
        record(
            company=endpoint.company,
            actor=by,
            action="webhook.removed",
            target=endpoint,
            summary=endpoint.url,
        )
        endpoint.delete()
