"""The outbox: one row per outgoing e-mail, written in the transaction that caused it."""

from __future__ import annotations

import uuid
from email.utils import make_msgid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.tenancy import CompanyScopedManager


def new_message_id() -> str:
    # Ours, not the relay's: stored before sending, so a bounce or a duplicate can be matched.
    return make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutgoingMail(models.Model):
    """An e-mail to one recipient.

    Mail queued with a template is rendered by the worker (queueing stays cheap for imports of
    tens of thousands); `subject`/`text`/`html` then keep what was sent. Mail from Django's own
    mail API arrives rendered. `failed_permanently` tells a refusal by the server (5xx: sending
    again will not help) from retries that ran out on temporary errors.
    """

    company_field = "company"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_mails",
        help_text=_("The company on whose behalf it is sent."),
    )
    purpose = models.CharField(_("purpose"), max_length=40, blank=True)
    # The body carries a secret (an activation code): only staff may read it on the outbox page.
    confidential = models.BooleanField(_("confidential"), default=False)
    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    template = models.CharField(_("template"), max_length=200, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, default=new_message_id)
    last_error = models.TextField(_("last error"), blank=True)
    failed_permanently = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CompanyScopedManager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["company", "-created_at"], name="outbox_company_recent"),
            models.Index(fields=["-created_at"], name="outbox_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose or 'mail'} → {self.to} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("outbox_detail", kwargs={"mail_id": self.id})
