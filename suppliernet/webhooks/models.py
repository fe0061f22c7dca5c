"""Outbound webhooks: a company's endpoints and one delivery row per event and endpoint."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.tenancy import CompanyScopedManager


class Event(models.TextChoices):
    INVITATION_SENT = "invitation.sent", _("Invitation sent (the mail server accepted it)")
    INVITATION_FAILED = "invitation.failed", _("Invitation failed (refused for good)")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted (supplier registered)")
    IMPORT_FINISHED = "import.finished", _("Import finished (processed, failed or rejected)")


class WebhookEndpoint(models.Model):
    """Where a company wants to hear about events. The secret signs every delivery; it is
    kept readable because signing needs it, and shown to the company's admins only."""

    company_field = "company"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("webhook endpoint")

    def __str__(self) -> str:
        return self.url

    def get_events_display(self) -> list[str]:
        return [str(Event(event).label) for event in self.events if event in Event.values]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERING = "delivering", _("Delivering")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction of the event, posted by the
    worker, retried with the outbox's backoff until delivered or out of attempts."""

    company_field = "company"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
