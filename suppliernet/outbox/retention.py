"""How long finished e-mails stay in the outbox.

A delivered message keeps its rendered body (for invitations: the activation code) and its
context; nothing needs them once the message is finished, and the table would otherwise grow
with every invitation ever sent. What the apps keep about a message lives on their own rows
(an invitation's status, sent_at and Message-ID), so deleting it loses no history.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from suppliernet.outbox.models import MailStatus, OutgoingMail

FINISHED = (MailStatus.SENT, MailStatus.FAILED, MailStatus.CANCELLED)


def prune_finished(*, older_than: timedelta, batch_size: int = 5_000) -> int:
    """Deletes finished messages created before `older_than` ago; queued and sending ones are
    never touched. In batches, so that a first run on a big table holds no long lock."""
    cutoff = timezone.now() - older_than
    old = OutgoingMail.objects.filter(status__in=FINISHED, created_at__lt=cutoff)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(old.values_list("pk", flat=True)[:batch_size])
            if not ids:
                return deleted
            deleted += OutgoingMail.objects.filter(pk__in=ids).delete()[0]
