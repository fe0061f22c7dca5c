from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.taxids import format_tax_id
from suppliernet.companies.tenancy import CompanyScopedManager
from suppliernet.network.models import Supplier


class Status(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    REJECTED = "rejected", _("Rejected")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    PAGE = "page", _("Web page")
    CLI = "cli", _("Command line")
    API = "api", _("API")


def _upload_to(supplier_import: SupplierImport, filename: str) -> str:
    # Our own name, not the user's: the original is kept in `file_name`.
    suffix = Path(filename).suffix.lower()[:8]
    return f"imports/{supplier_import.buyer_id}/{supplier_import.id}{suffix}"


class SupplierImport(models.Model):
    """One uploaded supplier file: checked (the preview), then processed (the result)."""

    company_field = "buyer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="supplier_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.PAGE)
    file = models.FileField(upload_to=_upload_to, max_length=255)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    detected = models.CharField(max_length=300, blank=True)  # "Windows-1252, semicolon-…"
    header = models.JSONField(default=list)  # the file's own column labels
    unknown_columns = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    message = models.TextField(blank=True)  # why the file was rejected or processing failed
    process_valid_only = models.BooleanField(default=False)
    # The preview, counted while checking.
    rows_total = models.PositiveIntegerField(default=0)
    rows_to_create = models.PositiveIntegerField(default=0)
    rows_to_update = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_with_errors = models.PositiveIntegerField(default=0)
    rows_to_notify = models.PositiveIntegerField(default=0)
    # Progress: rows checked while checking, valid rows written while processing. A chunk's
    # writes and `last_line` commit together, so processing resumes after the last chunk.
    rows_done = models.PositiveIntegerField(default=0)
    last_line = models.PositiveIntegerField(default=0)
    # The result.
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict)  # NotifyOutcome (not invited) -> count
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["buyer", "-created_at"], name="import_buyer_created")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.id])

    @property
    def rows_valid(self) -> int:
        return self.rows_total - self.rows_with_errors

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    @property
    def is_running(self) -> bool:
        return self.status in (Status.UPLOADED, Status.VALIDATING, Status.PROCESSING)

    @property
    def is_stalled(self) -> bool:
        """Processing, but no chunk written for IMPORT_STALLED_AFTER seconds: its worker was
        stopped outright (a worker that fails marks the import failed itself)."""
        quiet_since = timezone.now() - timedelta(seconds=settings.IMPORT_STALLED_AFTER)
        return self.status == Status.PROCESSING and self.updated_at < quiet_since


class Action(models.TextChoices):
    """What checking found a row would do."""

    CREATE = "create", _("To create")
    UPDATE = "update", _("To update")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Errors")


class Outcome(models.TextChoices):
    """What processing did with a row (an error row is not written: failed)."""

    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    FAILED = "failed", _("Failed")


class NotifyOutcome(models.TextChoices):
    """What Notify = 1 did: an invitation, or why none was needed."""

    INVITED = "invited", _("Invited")
    ALREADY_INVITED = "already_invited", _("Already invited")
    REGISTERED = "registered", _("Already registered")
    NO_EMAIL = "no_email", _("Without e-mail")


def _change_label(name: str) -> str:
    if name == "emails":
        return _("E-mail")
    if name == "groups":
        return _("Groups")
    return Supplier._meta.get_field(name).verbose_name.capitalize()


class ImportRow(models.Model):
    """One data row of the file as checked: a valid row holds the normalized values that
    processing writes (the file is not read again), an error row its cells and errors."""

    company_field = "supplier_import__buyer"

    # No index of its own: the unique (supplier_import, line) one starts with it, and every
    # index is one more write per row of a 500,000-row file.
    supplier_import = models.ForeignKey(
        SupplierImport, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    line = models.PositiveIntegerField(_("line"))
    action = models.CharField(max_length=10, choices=Action.choices)
    country = models.CharField(max_length=2, blank=True)
    tax_id = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=500, blank=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    fax = models.CharField(max_length=50, blank=True)
    emails = models.TextField(blank=True)  # ";"-separated, the primary first
    groups = models.TextField(blank=True)  # ";"-separated
    notify = models.BooleanField(default=False)
    changes = models.JSONField(null=True)  # update: {field: [old, new]}
    errors = models.JSONField(null=True)  # error: [{column, label, value, message}]
    cells = models.JSONField(null=True)  # error: the row as read, for the error file
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    notify_outcome = models.CharField(max_length=16, choices=NotifyOutcome.choices, blank=True)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["supplier_import", "line"]
        constraints = [
            models.UniqueConstraint(fields=["supplier_import", "line"], name="import_row_line"),
        ]
        # Finding the earlier line of a repeated tax ID, chunk by chunk.
        indexes = [models.Index(fields=["supplier_import", "tax_id"], name="import_row_tax_id")]

    def __str__(self) -> str:
        return f"{self.line}: {self.name}"

    @property
    def tax_id_display(self) -> str:
        return format_tax_id(self.country, self.tax_id) if self.tax_id else ""

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) of an update."""
        return [
            (str(_change_label(name)), old, new)
            for name, (old, new) in (self.changes or {}).items()
        ]

    @property
    def email_list(self) -> list[str]:
        return self.emails.split(";") if self.emails else []

    @property
    def group_list(self) -> list[str]:
        return self.groups.split(";") if self.groups else []
