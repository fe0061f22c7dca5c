"""The delivery task: thin, it runs `deliver_due` until nothing is due and books the next run."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from suppliernet.outbox.claiming import claim_timeout
from suppliernet.outbox.delivery import DeliveryReport, deliver_due
from suppliernet.outbox.models import MailStatus, OutgoingMail


@task()
def deliver_outbox() -> dict[str, Any]:
    total = DeliveryReport()
    while True:
        report = deliver_due(batch_size=settings.OUTBOX_BATCH_SIZE)
        total.add(report)
        # A short batch means nothing else was due; after a connection failure the backoff
        # decides when to try again, not this loop.
        if report.claimed < settings.OUTBOX_BATCH_SIZE or report.connection_failed:
            break
    next_run = next_delivery_at()
    if next_run is not None:
        enqueue_delivery(at=next_run)
    return asdict(total)


def next_delivery_at() -> datetime | None:
    """The earliest retry, or the moment a claim in progress would count as abandoned."""
    # Two look-ups along the (status, next_attempt_at) index, not an aggregate over every row.
    retry = _earliest(MailStatus.QUEUED, "next_attempt_at")
    claim = _earliest(MailStatus.SENDING, "claimed_at")
    candidates = [retry, claim + claim_timeout() if claim else None]
    return min((when for when in candidates if when is not None), default=None)


def _earliest(status: str, field: str) -> datetime | None:
    rows = OutgoingMail.objects.filter(status=status, **{f"{field}__isnull": False})
    return rows.order_by(field).values_list(field, flat=True).first()


def enqueue_delivery(*, at: datetime | None = None) -> None:
    """Books a delivery run at `at` (now by default) unless one is booked by then already."""
    if at is not None and at <= timezone.now():
        at = None
    if at is not None and not deliver_outbox.get_backend().supports_defer:
        return  # e.g. the immediate backend: the next queued mail triggers a run anyway
    if _run_booked_by(at):
        return
    (deliver_outbox.using(run_after=at) if at else deliver_outbox).enqueue()


def _run_booked_by(at: datetime | None) -> bool:
    """Whether a run that has not started will start by `at`: it will see rows committed now."""
    if not isinstance(deliver_outbox.get_backend(), DatabaseBackend):
        return False
    booked = DBTaskResult.objects.filter(
        task_path=deliver_outbox.module_path, status=TaskResultStatus.READY
    ).filter(Q(run_after=get_date_max()) | Q(run_after__lte=at or timezone.now()))
    return booked.exists()
