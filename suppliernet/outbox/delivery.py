"""Delivering claimed mail over one reused connection, recording the results a few at a time.

Messages the server accepted are recorded together: one transaction (one `executemany` UPDATE
and one `mails_sent` signal) every RECORD_EVERY messages, or as soon as the oldest unrecorded
one is RECORD_WITHIN seconds old, and at the end of the batch. A commit per message cost more
than the SMTP exchange itself. Failures are rare and each has its own retry time: they are
recorded at once, one by one.

What a crash can do: a worker killed between the server's "250 accepted" and the next record
leaves the messages accepted since the last record in `sending`. When their claim expires
(OUTBOX_CLAIM_TIMEOUT) another run sends them again, with the same Message-ID, so a receiver
can recognise the copy. So a crash sends a second time at most RECORD_EVERY messages (on a
slow server fewer: those accepted in the last RECORD_WITHIN seconds, plus the one in flight),
never loses one, and never repeats the rest of the batch: at-least-once, as outboxes are.
"""

from __future__ import annotations

import logging
import random
import smtplib
import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, connections, transaction
from django.dispatch import Signal
from django.utils import timezone

from suppliernet.outbox.claiming import claim_due, claim_timeout, worker_name
from suppliernet.outbox.mime import Serialized, serialize
from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.rendering import RenderedMail, content_of
from suppliernet.outbox.signals import mail_failed, mails_sent

logger = logging.getLogger(__name__)

# The crash window (see above): at most this many accepted messages wait to be recorded…
RECORD_EVERY = 50
# …and none of them longer than this many seconds (plus the SMTP exchange in flight).
RECORD_WITHIN = 0.5


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # temporary failure: queued again for later
    failed: int = 0  # refused by the server, or out of retries
    released: int = 0  # not tried: queued again because the connection or the claim ended
    connection_failed: bool = False

    def add(self, other: DeliveryReport) -> None:
        for field in fields(self):
            value = getattr(other, field.name)
            if isinstance(value, bool):
                setattr(self, field.name, getattr(self, field.name) or value)
            else:
                setattr(self, field.name, getattr(self, field.name) + value)


@dataclass(frozen=True)
class Fault:
    reason: str
    permanent: bool  # the server refused this message (5xx): sending again will not help
    connection_lost: bool = False  # nothing more can go over this connection


def classify(error: OSError) -> Fault:
    """smtplib's errors are OSErrors; so are refused connections, resets and timeouts."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return _reply_fault(code, reply)
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_fault(error.smtp_code, error.smtp_error)
    return Fault(reason=str(error) or type(error).__name__, permanent=False, connection_lost=True)


def _reply_fault(code: int, reply: bytes | str) -> Fault:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    # 421: the server is closing the connection (smtplib has closed it already).
    return Fault(reason=f"{code} {text}", permanent=500 <= code < 600, connection_lost=code == 421)


def retry_ceiling(attempts: int) -> float:
    """Seconds: doubles with every attempt, up to OUTBOX_RETRY_MAX_SECONDS."""
    return min(
        settings.OUTBOX_RETRY_MAX_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    )


def retry_delay(attempts: int) -> timedelta:
    # Full jitter: a batch that failed together (a server outage) comes back spread out instead
    # of all at once. At least a second, so a run never retries what it has just failed.
    return timedelta(seconds=max(1.0, random.uniform(0, retry_ceiling(attempts))))


def deliver_due(*, batch_size: int = 100, worker: str = "") -> DeliveryReport:
    """Claims up to `batch_size` due messages and sends them over one connection."""
    mails = claim_due(batch_size=batch_size, worker=worker or worker_name())
    report = DeliveryReport(claimed=len(mails))
    if mails:
        _send_batch(mails, report)
    return report


def _send_batch(mails: list[OutgoingMail], report: DeliveryReport) -> None:
    transport = get_connection(settings.OUTBOX_TRANSPORT_BACKEND, fail_silently=False)
    try:
        transport.open()
    except OSError as error:
        # Server down, refused our log-in, unreachable: no message's fault, so never permanent.
        _close(transport)  # a connection that got half-way open
        report.connection_failed = True
        for mail in mails:
            _record_failure(mail, Fault(classify(error).reason, permanent=False), None, report)
        return
    # Stop well before the claim could be taken as abandoned and the rest sent a second time.
    deadline = mails[0].claimed_at + claim_timeout() / 2
    accepted = Accepted(report)
    try:
        for index, mail in enumerate(mails):
            accepted.record_if_old()
            if timezone.now() > deadline:
                report.released += _release(mails[index:], at=timezone.now())
                break
            fault = _deliver_one(transport, mail, accepted)
            if fault is not None and fault.connection_lost:
                report.connection_failed = True
                report.released += _release(mails[index + 1 :], at=timezone.now() + retry_delay(1))
                break
    finally:
        # Also when something unexpected stops the batch: what the server took is recorded.
        accepted.record()
        _close(transport)


def _deliver_one(
    transport: BaseEmailBackend, mail: OutgoingMail, accepted: Accepted
) -> Fault | None:
    try:
        rendered = content_of(mail)
    except Exception as error:  # a template that does not render: no retry will fix it
        logger.exception("Outgoing mail %s could not be rendered", mail.pk)
        fault = Fault(reason=f"{type(error).__name__}: {error}", permanent=True)
        _record_failure(mail, fault, None, accepted.report)
        return fault
    try:
        _transmit(transport, serialize_mail(mail, rendered), rendered)
    except OSError as error:
        fault = classify(error)
    except ValueError as error:  # an address or a header that cannot be written
        fault = Fault(reason=str(error), permanent=True)
    else:
        accepted.add(mail, rendered)
        return None
    _record_failure(mail, fault, rendered, accepted.report)
    return fault


def serialize_mail(mail: OutgoingMail, rendered: RenderedMail) -> Serialized:
    return serialize(
        from_email=mail.from_email or settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        reply_to=mail.reply_to or settings.EMAIL_REPLY_TO,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=mail.message_id,
        localtime=settings.EMAIL_USE_LOCALTIME,
    )


def _transmit(transport: BaseEmailBackend, message: Serialized, rendered: RenderedMail) -> None:
    if isinstance(transport, SMTPBackend):
        # What Django's backend does per message, without building the message a second time.
        transport.connection.sendmail(message.sender, [message.recipient], message.data)
    else:  # the development mailbox, console://, locmem://
        transport.send_messages([SerializedMessage(message, rendered)])


class SerializedMessage(EmailMessage):
    """A serialized message for the transports that take an EmailMessage: they read what goes
    out through `message()`, and locmem's tests through the attributes."""

    def __init__(self, message: Serialized, rendered: RenderedMail) -> None:
        super().__init__(
            subject=rendered.subject,
            body=rendered.text,
            from_email=message.sender,
            to=[message.recipient],
        )
        self.serialized = message.data

    def message(self) -> Message:
        return message_from_bytes(self.serialized)


class Accepted:
    """The messages the server accepted and that are not recorded yet (see the module doc)."""

    def __init__(self, report: DeliveryReport) -> None:
        self.report = report
        self.mails: list[OutgoingMail] = []
        self.oldest = 0.0

    def add(self, mail: OutgoingMail, rendered: RenderedMail) -> None:
        if not self.mails:
            self.oldest = time.monotonic()
        mail.status, mail.sent_at, mail.last_error = MailStatus.SENT, timezone.now(), ""
        mail.attempts += 1
        if mail.template:  # what was rendered stays on the row: the outbox page shows it
            mail.subject, mail.text, mail.html = rendered.subject, rendered.text, rendered.html
        self.mails.append(mail)
        if len(self.mails) >= RECORD_EVERY:
            self.record()
        else:
            self.record_if_old()

    def record_if_old(self) -> None:
        if self.mails and time.monotonic() - self.oldest >= RECORD_WITHIN:
            self.record()

    def record(self) -> None:
        """One transaction: the rows, and what the receivers make of them."""
        if not self.mails:
            return
        mails, self.mails = self.mails, []
        with transaction.atomic():
            _write_sent(mails)
            _notify(mails_sent, mails=mails)
        self.report.sent += len(mails)


SENT_COLUMNS = ("status", "sent_at", "attempts", "last_error", "subject", "text", "html")


def _write_sent(mails: list[OutgoingMail]) -> None:
    """One prepared UPDATE run over every row: the ORM would compile one statement per row."""
    db = connections[OutgoingMail.objects.db]
    meta = OutgoingMail._meta
    columns = [meta.get_field(name) for name in SENT_COLUMNS]
    quote = db.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in columns),
        quote(meta.pk.column),
    )
    rows = [
        [field.get_db_prep_save(getattr(mail, field.attname), db) for field in columns]
        + [meta.pk.get_db_prep_value(mail.pk, db)]
        for mail in mails
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, rows)


def _record_failure(
    mail: OutgoingMail, fault: Fault, rendered: RenderedMail | None, report: DeliveryReport
) -> None:
    attempts = mail.attempts + 1
    changes: dict[str, Any] = {"attempts": attempts, **_rendered_fields(mail, rendered)}
    permanent = fault.permanent or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    if permanent:
        reason = fault.reason
        if not fault.permanent:
            reason = f"{reason} (gave up after {attempts} attempts)"
        changes.update(
            status=MailStatus.FAILED, failed_permanently=fault.permanent, last_error=reason
        )
        report.failed += 1
    else:
        changes.update(
            status=MailStatus.QUEUED,
            next_attempt_at=timezone.now() + retry_delay(attempts),
            last_error=fault.reason,
            claimed_at=None,
            claimed_by="",
        )
        report.retrying += 1
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(**changes)
        for name, value in changes.items():
            setattr(mail, name, value)
        _notify(mail_failed, mail=mail, permanent=permanent)


def _rendered_fields(mail: OutgoingMail, rendered: RenderedMail | None) -> dict[str, str]:
    """Templated mail keeps what was rendered for it: the outbox page shows it, a retry sends it."""
    if not mail.template or rendered is None:
        return {}
    return {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}


def _notify(signal: Signal, **kwargs: Any) -> None:
    """Inside the transaction that records the result, so that e.g. an invitation's status never
    disagrees with its message's; a receiver's failed query rolls back to here, never the
    result."""
    try:
        with transaction.atomic():
            for receiver, result in signal.send_robust(sender=OutgoingMail, **kwargs):
                if isinstance(result, Exception):
                    logger.error("%r failed for %s", receiver, _which(kwargs), exc_info=result)
    except DatabaseError:
        logger.exception("A receiver's query failed for %s", _which(kwargs))


def _which(kwargs: dict[str, Any]) -> str:
    mails = kwargs.get("mails") or [kwargs["mail"]]
    return "mail " + ", ".join(str(mail.pk) for mail in mails)


def _release(mails: list[OutgoingMail], *, at: datetime) -> int:
    return OutgoingMail.objects.filter(
        pk__in=[mail.pk for mail in mails], status=MailStatus.SENDING
    ).update(status=MailStatus.QUEUED, next_attempt_at=at, claimed_at=None, claimed_by="")


def _close(transport: BaseEmailBackend) -> None:
    try:
        transport.close()
    except OSError:  # every result is recorded already; a QUIT that fails changes nothing
        logger.warning("Closing the SMTP connection failed", exc_info=True)
