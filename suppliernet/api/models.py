"""API tokens and the answers kept for Idempotency-Key."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.tenancy import CompanyScopedManager


class TokenRole(models.TextChoices):
    ADMIN = "admin", _("Admin (read and write)")
    READ = "read", _("Read only")


class ApiToken(models.Model):
    """A machine's credential for one company. Only the SHA-256 of the secret is kept; the
    secret is shown once, at creation, and `prefix` tells tokens apart afterwards."""

    company_field = "company"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    role = models.CharField(_("role"), max_length=8, choices=TokenRole.choices)
    prefix = models.CharField(_("token starts with"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.role == TokenRole.ADMIN


class IdempotentRequest(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for repeats of it.

    Written in the transaction that does the request's work: a repeat waits on the unique
    key until the first commits, then replays; if the first rolls back, the repeat runs."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotent_request_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"
