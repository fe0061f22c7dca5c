"""The delivery task: thin, it posts due deliveries until none is left and books the next
run for the earliest retry."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from suppliernet.webhooks.delivery import DeliveryReport, deliver_due, next_attempt_at

BATCH_SIZE = 50


@task()
def deliver_webhooks() -> dict[str, Any]:
    total = DeliveryReport()
    while True:
        report = deliver_due(batch_size=BATCH_SIZE)
        for name, value in asdict(report).items():
            setattr(total, name, getattr(total, name) + value)
        if report.claimed < BATCH_SIZE:
            break
    if (when := next_attempt_at()) is not None:
        enqueue_delivery(at=when)
    return asdict(total)


def enqueue_delivery(*, at: datetime | None = None) -> None:
    """Books a run at `at` (now by default) unless one that has not started is booked by
    then already: it will see the rows committed now."""
    if at is not None and at <= timezone.now():
        at = None
    backend = deliver_webhooks.get_backend()
    if at is not None and not backend.supports_defer:
        return  # the next event triggers a run anyway
    if isinstance(backend, DatabaseBackend):
        # A run without a time is stored with the largest date; it starts as soon as it can.
        booked = DBTaskResult.objects.filter(
            Q(run_after=get_date_max()) | Q(run_after__lte=at or timezone.now()),
            task_path=deliver_webhooks.module_path,
            status=TaskResultStatus.READY,
        )
        if booked.exists():
            return
    (deliver_webhooks.using(run_after=at) if at else deliver_webhooks).enqueue()
