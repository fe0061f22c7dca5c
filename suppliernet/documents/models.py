from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliernet.audit.models import Channel
from suppliernet.companies.models import Company
from suppliernet.companies.taxids import format_tax_id
from suppliernet.companies.tenancy import CompanyScopedManager
from suppliernet.documents.kinds import DocType, Format, Outcome
from suppliernet.network.models import Supplier


class ReceivedDocument(models.Model):
    """An electronic invoice or note a supplier issued to the buyer, as the buyer received it.

    Only the facts that place the supplier in the buyer's network are kept, not the XML.
    """

    company_field = "buyer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="received_documents")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="received_documents"
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    doc_type = models.CharField(_("type"), max_length=16, choices=DocType.choices)
    type_code = models.CharField(_("type code"), max_length=8, blank=True)
    number = models.CharField(_("number"), max_length=64)
    issue_date = models.DateField(_("issued"))
    total = models.DecimalField(_("total"), max_digits=24, decimal_places=6)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    issuer_country = models.CharField(max_length=2)
    issuer_tax_id = models.CharField(max_length=32)
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True)
    email_found = models.EmailField(_("e-mail in the document"), blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PAGE)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["-issue_date", "-received_at", "id"]
        constraints = [
            # The same document received twice (a resent e-mail, two zips overlapping) counts
            # once: an issuer numbers each type of document uniquely.
            models.UniqueConstraint(
                fields=[
                    "buyer",
                    "issuer_country",
                    "issuer_tax_id",
                    "doc_type",
                    "type_code",
                    "number",
                ],
                name="received_document_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-issue_date"], name="received_doc_buyer_issued"),
            models.Index(fields=["supplier", "-issue_date"], name="received_doc_supplier_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number} ({self.issuer_tax_id_display})"

    @property
    def issuer_tax_id_display(self) -> str:
        return format_tax_id(self.issuer_country, self.issuer_tax_id)


class UploadStatus(models.TextChoices):
    PENDING = "pending", _("Being read")
    DONE = "done", _("Read")
    FAILED = "failed", _("Failed")


class DocumentUpload(models.Model):
    """One upload on the Documents page and, once read, its result for each file in it."""

    company_field = "buyer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="document_uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_names = models.CharField(_("files"), max_length=500)
    size = models.PositiveBigIntegerField(_("size"))
    status = models.CharField(
        _("status"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.PENDING
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    new_suppliers = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)  # documents.ingestion.FileResult.as_dict() each

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["buyer", "-created_at"], name="document_upload_created")]

    def __str__(self) -> str:
        return f"{self.file_names} ({self.get_status_display()})"

    @property
    def file_results(self) -> list[dict]:
        """`results` with each outcome's label, for the page."""
        return [{**result, "label": Outcome(result["outcome"]).label} for result in self.results]


class PendingFile(models.Model):
    """An uploaded file waiting for the task worker, kept in the database (which the web
    process and the worker always share, unlike a disk) and deleted once read."""

    upload = models.ForeignKey(DocumentUpload, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.name
