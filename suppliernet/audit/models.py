from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.tenancy import CompanyScopedManager


class Channel(models.TextChoices):
    PAGE = "page", _("Web page")
    IMPORT = "import", _("File import")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class AuditEntry(models.Model):
    """Who changed what, when and from where: the answer to a buyer's "who did this?"."""

    company_field = "company"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PAGE)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.summary}"
