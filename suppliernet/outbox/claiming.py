"""Claiming due mail so that two workers never send the same row.

PostgreSQL: the due rows are locked with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent
workers take different rows without waiting. SQLite has no row locks, but the settings open
every transaction IMMEDIATE, so claims run one after the other. On both the claim itself is a
conditional UPDATE that only takes rows still due, which is what makes it correct if the
selection is stale. Sending happens after this transaction has committed.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from suppliernet.outbox.models import MailStatus, OutgoingMail


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim_timeout() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)


def _queued_due(now: datetime) -> Q:
    return Q(status=MailStatus.QUEUED, next_attempt_at__lte=now)


def _abandoned(now: datetime) -> Q:
    """Claimed by a worker that stopped before recording the result (a crash, a kill -9)."""
    return Q(status=MailStatus.SENDING, claimed_at__lt=now - claim_timeout())


def select_due_ids(*, now: datetime, limit: int) -> list:
    due = OutgoingMail.objects.filter(_queued_due(now) | _abandoned(now)).order_by(
        "next_attempt_at"
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return list(due.values_list("id", flat=True)[:limit])


def mark_claimed(ids: list, *, now: datetime, worker: str) -> QuerySet[OutgoingMail]:
    """Takes the rows among `ids` that are still due; returns the ones this call claimed."""
    claimed = {"status": MailStatus.SENDING, "claimed_at": now, "claimed_by": worker}
    mine = OutgoingMail.objects.filter(id__in=ids)
    mine.filter(_queued_due(now)).update(**claimed)
    # The abandoned message may or may not have reached the server: one more attempt, and a
    # trace of it. Only those accepted but not yet recorded at the crash go out twice (at most
    # delivery.RECORD_EVERY), with their Message-ID.
    mine.filter(_abandoned(now)).update(
        **claimed,
        attempts=F("attempts") + 1,
        last_error="The worker stopped while sending; sending again.",
    )
    return OutgoingMail.objects.filter(
        id__in=ids, status=MailStatus.SENDING, claimed_by=worker, claimed_at=now
    ).order_by("next_attempt_at")


def claim_due(*, batch_size: int, worker: str) -> list[OutgoingMail]:
    now = timezone.now()
    with transaction.atomic():
        ids = select_due_ids(now=now, limit=batch_size)
        if not ids:
            return []
        return list(mark_claimed(ids, now=now, worker=worker))
