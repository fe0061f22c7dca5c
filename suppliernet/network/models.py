from __future__ import annotations

import uuid

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.taxids import format_tax_id
from suppliernet.companies.tenancy import CompanyScopedManager
from suppliernet.network.text import fold


class SupplierGroup(models.Model):
    """A label a buyer gives to some of its suppliers ("Logistics", "Critical")."""

    company_field = "buyer"

    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="supplier_groups")
    name = models.CharField(_("name"), max_length=80)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("buyer", Lower("name"), name="group_unique_name_per_buyer"),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    IMPORT = "import", _("File import")
    DOCUMENT = "document", _("Received document")


class Supplier(models.Model):
    """The link buyer company → supplier company, with the details the buyer keeps.

    `country`/`tax_id` repeat the supplier company's identity (which never changes) so the
    list can filter and sort on one table with an index per buyer.
    """

    company_field = "buyer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="suppliers")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="buyer_links")
    country = models.CharField(_("country"), max_length=2)
    tax_id = models.CharField(_("tax ID"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("primary e-mail"), max_length=254, blank=True)
    other_emails = models.JSONField(_("further e-mails"), default=list, blank=True)
    groups = models.ManyToManyField(
        SupplierGroup, blank=True, related_name="suppliers", through="SupplierGroupLink"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    # Kept by documents.ingestion from the documents received from this supplier, so the list
    # filters and shows them without a join: the latest issue date, how many, and an e-mail
    # found in one that the buyer has not got (offered, never written over theirs).
    last_document_date = models.DateField(_("last document"), null=True, blank=True)
    document_count = models.PositiveIntegerField(_("documents received"), default=0)
    suggested_email = models.EmailField(_("e-mail found in a document"), blank=True)
    # Whether the supplier company has registered: `company.registered_at is not None`, copied
    # here so the list filters and counts by status on one table with an index. Kept by
    # database triggers (migration 0003) on every write to either table, including the
    # imports' raw upserts and bulk_create; never set it from Python.
    registered = models.BooleanField(_("registered"), db_default=False, editable=False)
    name_folded = models.CharField(max_length=200, editable=False, db_index=False)
    city_folded = models.CharField(max_length=100, editable=False, db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyScopedManager()

    class Meta:
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "company"], name="supplier_unique_per_buyer"),
            models.UniqueConstraint(
                fields=["buyer", "country", "tax_id"], name="supplier_unique_tax_id_per_buyer"
            ),
        ]
        # One index per sort of the list, ending in id: a keyset page (network/paging.py)
        # starts inside it and reads just one page. PostgreSQL-only ones (trigram search,
        # tax ID prefix, latest document first) are in migration 0003.
        indexes = [
            models.Index(fields=["buyer", "name_folded", "id"], name="supplier_buyer_name_id"),
            models.Index(fields=["buyer", "tax_id", "id"], name="supplier_buyer_tax_id"),
            models.Index(
                fields=["buyer", "city_folded", "name_folded", "id"], name="supplier_buyer_city_id"
            ),
            models.Index(fields=["buyer", "created_at", "id"], name="supplier_buyer_created_id"),
            models.Index(fields=["buyer", "last_document_date"], name="supplier_buyer_last_doc"),
            models.Index(fields=["buyer", "registered"], name="supplier_buyer_registered"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_folded()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("supplier_detail", args=[self.id])

    def refresh_folded(self) -> None:
        self.name_folded = fold(self.name)[:200]
        self.city_folded = fold(self.city)[:100]

    @property
    def tax_id_display(self) -> str:
        return format_tax_id(self.country, self.tax_id)

    @property
    def is_registered(self) -> bool:
        return self.company.registered_at is not None

    @property
    def all_emails(self) -> list[str]:
        return [e for e in [self.email, *self.other_emails] if e]


class SupplierGroupLink(models.Model):
    """A supplier in a group: the table Django made for `Supplier.groups`, with copies of the
    supplier's `name_folded` and `registered`, so a group's page of the list in name order and
    its counts are ranges of an index on the links alone, however big the group or far down
    the alphabet its members are (network.listing.group_links).

    Database triggers (migration 0004) keep the copies on every write to either table: ORM
    `groups.set()`, the imports' raw inserts, renames, registering; never set them from
    Python."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE)
    suppliergroup = models.ForeignKey(SupplierGroup, on_delete=models.CASCADE)
    name_folded = models.CharField(max_length=200, db_default="", editable=False)
    registered = models.BooleanField(db_default=False, editable=False)

    class Meta:
        db_table = "network_supplier_groups"
        # The constraint Django made for the automatic table, under the same name.
        unique_together = [("supplier", "suppliergroup")]
        indexes = [
            models.Index(
                fields=["suppliergroup", "name_folded", "supplier"], name="group_link_name"
            ),
            models.Index(
                fields=["suppliergroup", "registered", "name_folded", "supplier"],
                name="group_link_registered_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} in {self.suppliergroup_id}"
