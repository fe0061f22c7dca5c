"""Posting due deliveries: claimed so that two workers never post one row (as the outbox
claims mail), signed, sent with a short timeout, and recorded one by one.

Any answer but 2xx, a timeout or a refused connection is retried after the outbox's backoff
(full jitter, doubling up to its maximum) until WEBHOOKS_MAX_ATTEMPTS, and so is a name that
does not resolve; a target that is not allowed (a private address in production) fails at
once."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from suppliernet.outbox.claiming import worker_name
from suppliernet.outbox.delivery import retry_delay
from suppliernet.webhooks.models import DeliveryStatus, WebhookDelivery
from suppliernet.webhooks.signing import HEADER, signature
from suppliernet.webhooks.targets import RefusedTarget, Target, resolve

USER_AGENT = "SupplierNet-Webhooks/1"
# A worker that stopped mid-post leaves its claim; after this it is posted again.
CLAIM_TIMEOUT = timedelta(minutes=5)
ERROR_LENGTH = 500


@dataclass
class DeliveryReport:
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str = ""
    permanent: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _due(now: datetime) -> Q:
    pending = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=DeliveryStatus.DELIVERING, claimed_at__lt=now - CLAIM_TIMEOUT)
    return pending | abandoned


def claim_due(*, batch_size: int, worker: str) -> list[WebhookDelivery]:
    now = timezone.now()
    with transaction.atomic():
        due = WebhookDelivery.objects.filter(_due(now)).order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch_size])
        # Conditional: only rows still due are taken, whatever another worker did meanwhile.
        WebhookDelivery.objects.filter(_due(now), id__in=ids).update(
            status=DeliveryStatus.DELIVERING, claimed_at=now, claimed_by=worker
        )
    return list(
        WebhookDelivery.objects.filter(
            id__in=ids, status=DeliveryStatus.DELIVERING, claimed_by=worker, claimed_at=now
        ).select_related("endpoint")
    )


def deliver_due(*, batch_size: int = 50) -> DeliveryReport:
    deliveries = claim_due(batch_size=batch_size, worker=worker_name())
    report = DeliveryReport(claimed=len(deliveries))
    for delivery in deliveries:
        _record(delivery, post(delivery), report)
    return report


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def post(delivery: WebhookDelivery) -> Outcome:
    try:
        target = resolve(delivery.endpoint.url)
    except RefusedTarget as refusal:
        return Outcome(error=refusal.message, permanent=refusal.permanent)
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-SupplierNet-Event": delivery.event,
        "X-SupplierNet-Delivery": str(delivery.id),
        HEADER: signature(delivery.endpoint.secret, int(time.time()), body),
    }
    conn = _connection(target)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(64 * 1024)  # enough to reuse nothing: we only want the status
        return Outcome(status_code=response.status, error=_reason(response))
    except (OSError, http.client.HTTPException) as error:
        return Outcome(error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH])
    finally:
        conn.close()


def _reason(response: http.client.HTTPResponse) -> str:
    if 200 <= response.status < 300:
        return ""
    return f"HTTP {response.status} {response.reason}"[:ERROR_LENGTH]


def _connection(target: Target) -> http.client.HTTPConnection:
    timeout = settings.WEBHOOKS_TIMEOUT
    if target.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    # Connect to the address that was checked; TLS still verifies the certificate for the
    # host name (HTTPSConnection wraps this socket with server_hostname=host).
    def pinned(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        return socket.create_connection((target.address, address[1]), *args, **kwargs)

    conn._create_connection = pinned  # type: ignore[attr-defined]
    return conn


def _record(delivery: WebhookDelivery, outcome: Outcome, report: DeliveryReport) -> None:
    attempts = delivery.attempts + 1
    changes: dict[str, Any] = {
        "attempts": attempts,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "claimed_at": None,
        "claimed_by": "",
    }
    if outcome.ok:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now())
        report.delivered += 1
    elif outcome.permanent or attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        changes.update(status=DeliveryStatus.FAILED)
        report.failed += 1
    else:
        changes.update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + retry_delay(attempts)
        )
        report.retrying += 1
    WebhookDelivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(**changes)


def next_attempt_at() -> datetime | None:
    """The earliest retry, or the moment a claim in progress would count as abandoned."""
    pending = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    claimed = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERING)
        .order_by("claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    candidates = [pending, claimed + CLAIM_TIMEOUT if claimed else None]
    return min((when for when in candidates if when is not None), default=None)
