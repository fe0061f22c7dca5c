"""Queueing e-mail: rows in the caller's transaction, delivery scheduled once it commits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import get_template
from django.utils import timezone

from suppliernet.bulk import database, insert_objects, insert_rows, preparer
from suppliernet.companies.models import Company
from suppliernet.outbox.models import MailStatus, OutgoingMail, new_message_id


@dataclass
class MailSpec:
    """One e-mail to render at delivery from `template` and a JSON-serialisable `context`."""

    to: str
    template: str
    context: dict[str, Any]
    language: str
    company: Company | None = None
    purpose: str = ""
    reply_to: str = ""
    confidential: bool = False


def queue_mail(spec: MailSpec) -> OutgoingMail:
    return queue_mails([spec])[0]


def queue_mails(specs: Sequence[MailSpec]) -> list[OutgoingMail]:
    """Writes the rows inside the caller's transaction; nothing is sent if it rolls back."""
    _check_templates(specs)
    rows = [
        OutgoingMail(
            company=spec.company,
            purpose=spec.purpose,
            confidential=spec.confidential,
            to=spec.to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            reply_to=spec.reply_to,
            language=spec.language or settings.LANGUAGE_CODE,
            template=spec.template,
            context=_json_only(spec),
        )
        for spec in specs
    ]
    return store(rows)


# What `queue_mail_ids` writes; every other column gets its default.
_COLUMNS = (
    "id",
    "company",
    "purpose",
    "confidential",
    "to",
    "from_email",
    "reply_to",
    "language",
    "template",
    "context",
    "message_id",
    "next_attempt_at",
    "created_at",
)


def queue_mail_ids(specs: Sequence[MailSpec]) -> list[uuid.UUID]:
    """`queue_mails` for senders in bulk that need only the new rows' ids: the rows are
    written without a model object each (an import's Notify=1 queues tens of thousands)."""
    if not specs:
        return []
    _check_templates(specs)
    db = database(OutgoingMail)
    prep_id, prep_company, prep_context, prep_time = (
        preparer(OutgoingMail._meta.get_field(name), db)
        for name in ("id", "company", "context", "created_at")
    )
    now = prep_time(timezone.now())
    from_email, default_language = settings.DEFAULT_FROM_EMAIL, settings.LANGUAGE_CODE
    ids = [uuid.uuid4() for _spec in specs]
    rows = [
        (
            prep_id(mail_id),
            prep_company(spec.company.pk if spec.company is not None else None),
            spec.purpose,
            spec.confidential,
            spec.to,
            from_email,
            spec.reply_to,
            spec.language or default_language,
            spec.template,
            prep_context(_json_only(spec)),
            new_message_id(),
            now,
            now,
        )
        for mail_id, spec in zip(ids, specs, strict=True)
    ]
    insert_rows(OutgoingMail, _COLUMNS, rows)
    schedule_delivery_on_commit()
    return ids


def _check_templates(specs: Sequence[MailSpec]) -> None:
    for template in {spec.template for spec in specs}:
        # Fail in the caller, not in the worker hours later.
        get_template(f"{template}.txt")
        get_template(f"{template}_subject.txt")


def store(rows: list[OutgoingMail]) -> list[OutgoingMail]:
    """Saves ready-made rows and schedules their delivery (used by the Django mail backend)."""
    if not rows:
        return []
    insert_objects(rows)
    schedule_delivery_on_commit()
    return rows


def schedule_delivery_on_commit() -> None:
    """One delivery task per transaction, however many rows or calls it made."""
    from suppliernet.outbox.tasks import enqueue_delivery

    if connection.in_atomic_block and any(
        callback is enqueue_delivery for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    # robust: the rows are committed already; a failed enqueue must not turn the page into a 500
    # (the next delivery run picks them up).
    transaction.on_commit(enqueue_delivery, robust=True)


def _json_only(spec: MailSpec) -> dict[str, Any]:
    try:
        json.dumps(spec.context)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"The context of the e-mail to {spec.to} ({spec.template}) must be plain JSON "
            f"(strings, numbers, lists, dicts): {error}"
        ) from None
    return spec.context


def cancel_queued(mail_ids: Sequence[Any]) -> int:
    """Stops messages that have not gone out yet (a revoked or replaced code, a company that
    registered meanwhile). A message a worker has already claimed is beyond recall."""
    return OutgoingMail.objects.filter(
        pk__in=[mail_id for mail_id in mail_ids if mail_id], status=MailStatus.QUEUED
    ).update(status=MailStatus.CANCELLED, last_error="cancelled before sending")
