"""A form posted twice (double click, reload, a retry after a timeout) does its work once and
answers both times with the same messages.

The form carries a one-time key; the first POST stores the key and its messages in the same
transaction as its work. A second POST with that key waits for the first to commit (the
unique key blocks it) and replays the stored messages.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from suppliernet.companies.models import User
from suppliernet.invitations.models import FormSubmission

Answer = list[tuple[int, str]]  # (django.contrib.messages level, text)
KEPT_FOR = timedelta(days=1)


def new_key() -> str:
    return str(uuid.uuid4())


def parse_key(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def submit_once(*, user: User, key: uuid.UUID | None, work: Callable[[], Answer]) -> Answer:
    """Runs `work` unless this user already submitted `key`; returns the answer either way.

    Without a key (an old page, a client that sends none) the work simply runs. If `work`
    raises, nothing is stored, so the corrected form can be posted again with the same key.
    """
    if key is None:
        return work()
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(user=user, key=key)
        except IntegrityError:
            return [tuple(m) for m in FormSubmission.objects.get(user=user, key=key).answer]
        answer = work()
        submission.answer = answer
        submission.save(update_fields=["answer"])
        FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEPT_FOR).delete()
    return answer
