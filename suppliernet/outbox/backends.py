"""Django's mail API into the outbox: `EMAIL_BACKEND` for password resets and other mail sent
with `send_mail`/`EmailMessage.send()`. Call it inside the transaction that caused the mail;
the worker delivers it through `OUTBOX_TRANSPORT_BACKEND`."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation
from django.utils.html import strip_tags

from suppliernet.outbox.models import OutgoingMail
from suppliernet.outbox.queueing import store


class OutboxBackend(BaseEmailBackend):
    """One pre-rendered outbox row per recipient (To, Cc and Bcc each get their own copy)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        language = translation.get_language()
        rows = [row for message in email_messages for row in self._rows(message, language)]
        store(rows)
        return len(email_messages)

    def _rows(self, message: EmailMessage, language: str | None) -> list[OutgoingMail]:
        if message.attachments:
            raise ValueError("The outbox does not carry attachments; link to the file instead.")
        text, html = message.body, _html_alternative(message)
        if message.content_subtype == "html":
            text, html = strip_tags(message.body), message.body
        return [
            OutgoingMail(
                purpose="django",
                to=recipient,
                from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                reply_to=", ".join(message.reply_to),
                language=language or settings.LANGUAGE_CODE,
                subject=str(message.subject),
                text=text,
                html=html,
            )
            for recipient in message.recipients()
        ]


def _html_alternative(message: EmailMessage) -> str:
    if not isinstance(message, EmailMultiAlternatives):
        return ""
    return next(
        (str(content) for content, mimetype in message.alternatives if mimetype == "text/html"),
        "",
    )
