"""Delivering claimed mail over one reused connection, recording each result as it happens.

Each message is marked sent right after the server accepted it, so a crash re-sends at most the
one message in flight (its claim expires and another run takes it), never a batch.
"""

from __future__ import annotations

import logging
import random
import smtplib
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils import timezone

from suppliernet.outbox.claiming import claim_due, claim_timeout, worker_name
from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.rendering import RenderedMail, content_of
from suppliernet.outbox.signals import mail_failed, mail_sent

logger = logging.getLogger(__name__)


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
    try:
        for index, mail in enumerate(mails):
            if timezone.now() > deadline:
                report.released += _release(mails[index:], at=timezone.now())
                break
            fault = _deliver_one(transport, mail, report)
            if fault is not None and fault.connection_lost:
                report.connection_failed = True
                report.released += _release(mails[index + 1 :], at=timezone.now() + retry_delay(1))
                break
    finally:
        _close(transport)


def _deliver_one(
    transport: BaseEmailBackend, mail: OutgoingMail, report: DeliveryReport
) -> Fault | None:
    try:
        rendered = content_of(mail)
        message = build_message(mail, rendered)
    except Exception as error:  # a template that does not render: no retry will fix it
        logger.exception("Outgoing mail %s could not be rendered", mail.pk)
        fault = Fault(reason=f"{type(error).__name__}: {error}", permanent=True)
        _record_failure(mail, fault, None, report)
        return fault
    try:
        transport.send_messages([message])
    except OSError as error:
        fault = classify(error)
    except ValueError as error:  # an address Django cannot put in a header
        fault = Fault(reason=str(error), permanent=True)
    else:
        _record_sent(mail, rendered, report)
        return None
    _record_failure(mail, fault, rendered, report)
    return fault


def build_message(mail: OutgoingMail, rendered: RenderedMail) -> EmailMultiAlternatives:
    reply_to = mail.reply_to or settings.EMAIL_REPLY_TO
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=mail.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": mail.message_id},
    )
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    return message


def _record_sent(mail: OutgoingMail, rendered: RenderedMail, report: DeliveryReport) -> None:
    changes = {
        "status": MailStatus.SENT,
        "sent_at": timezone.now(),
        "attempts": mail.attempts + 1,
        "last_error": "",
        **_rendered_fields(mail, rendered),
    }
    _record(mail, changes, mail_sent)
    report.sent += 1


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
    _record(mail, changes, mail_failed, permanent=permanent)


def _rendered_fields(mail: OutgoingMail, rendered: RenderedMail | None) -> dict[str, str]:
    """Templated mail keeps what was rendered for it: the outbox page shows it, a retry sends it."""
    if not mail.template or rendered is None:
        return {}
    return {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}


def _record(mail: OutgoingMail, changes: dict[str, Any], signal: Signal, **kwargs: Any) -> None:
    """The result and what the receivers make of it, in one transaction: one commit (one disk
    flush on PostgreSQL) per message, and e.g. an invitation's status never disagrees with its
    message's."""
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(**changes)
        for name, value in changes.items():
            setattr(mail, name, value)
        try:
            # A receiver's failed query rolls back to here, never the result above.
            with transaction.atomic():
                for receiver, result in signal.send_robust(
                    sender=OutgoingMail, mail=mail, **kwargs
                ):
                    if isinstance(result, Exception):
                        logger.error("%r failed for mail %s", receiver, mail.pk, exc_info=result)
        except DatabaseError:
            logger.exception("A receiver's query failed for mail %s", mail.pk)


def _release(mails: list[OutgoingMail], *, at: datetime) -> int:
    return OutgoingMail.objects.filter(
        pk__in=[mail.pk for mail in mails], status=MailStatus.SENDING
    ).update(status=MailStatus.QUEUED, next_attempt_at=at, claimed_at=None, claimed_by="")


def _close(transport: BaseEmailBackend) -> None:
    try:
        transport.close()
    except OSError:  # every result is recorded already; a QUIT that fails changes nothing
        logger.warning("Closing the SMTP connection failed", exc_info=True)
