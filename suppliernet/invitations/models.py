from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliernet.audit.models import Channel
from suppliernet.companies.models import Company
from suppliernet.companies.tenancy import CompanyScopedQuerySet
from suppliernet.network.models import Supplier


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# Open: the code may still be used. Expiry is a matter of time, so an open row past its
# `expires_at` is expired even before a write records it (see `InvitationQuerySet`).
OPEN = (Status.QUEUED, Status.SENT)


def _overdue() -> Q:
    return Q(status__in=OPEN, expires_at__lte=timezone.now())


class InvitationQuerySet(CompanyScopedQuerySet):
    def open(self) -> InvitationQuerySet:
        return self.filter(status__in=OPEN, expires_at__gt=timezone.now())

    def overdue(self) -> InvitationQuerySet:
        """Open by status but past their expiry: expired, not yet recorded as such."""
        return self.filter(_overdue())

    def with_status(self, status: str) -> InvitationQuerySet:
        """Invitations whose current status (see `Invitation.current_status`) is `status`."""
        if status == Status.EXPIRED:
            return self.filter(Q(status=Status.EXPIRED) | _overdue())
        if status in OPEN:
            return self.open().filter(status=status)
        return self.filter(status=status)


class Invitation(models.Model):
    """One e-mail address of a supplier invited to register, with its activation code.

    Only a keyed hash of the code is kept (see `codes`); `mail` is the latest outgoing
    message, whose delivery moves the status from queued to sent or failed.
    """

    company_field = "buyer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    code_hash = models.CharField(max_length=64, unique=True)
    code_hint = models.CharField(_("code ends in"), max_length=4)
    expires_at = models.DateTimeField(_("expires"))
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PAGE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    mail = models.ForeignKey(
        "outbox.OutgoingMail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(_("reason"), max_length=500, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resent_count = models.PositiveIntegerField(default=0)

    objects = models.Manager.from_queryset(InvitationQuerySet)()

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            # One open invitation per supplier and address: the guard against double clicks,
            # repeated imports and two admins inviting at once.
            models.UniqueConstraint(
                F("supplier"),
                Lower("email"),
                condition=Q(status__in=OPEN),
                name="invitation_one_open_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="invitation_buyer_created"),
            models.Index(fields=["supplier", "-created_at"], name="invitation_supplier_created"),
            models.Index(fields=["buyer", "status"], name="invitation_buyer_status"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    @property
    def current_status(self) -> str:
        if self.status in OPEN and self.expires_at <= timezone.now():
            return Status.EXPIRED
        return self.status

    @property
    def is_open(self) -> bool:
        return self.current_status in OPEN

    def get_current_status_display(self) -> str:
        return str(Status(self.current_status).label)


class TokenBucket(models.Model):
    """Rate-limit state for one subject (see `limits`); `key` is a hash, never the subject."""

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.tokens:.2f}"


class FormSubmission(models.Model):
    """A form's one-time key and the answer given to it, so that a repeated POST gets the
    same answer instead of doing the work twice (see `idempotency`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    answer = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="form_submission_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} by {self.user_id}"
