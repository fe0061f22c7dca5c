"""Adding and changing suppliers of a buyer's network."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from suppliernet.audit.models import Channel
from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, User
from suppliernet.companies.taxids import TaxId
from suppliernet.network.models import Source, Supplier, SupplierGroup


class SupplierAlreadyInNetwork(Exception):
    def __init__(self, existing: Supplier):
        super().__init__(f"{existing.tax_id_display} is already in this network.")
        self.existing = existing


@dataclass
class SupplierDetails:
    """What a buyer keeps about a supplier; e-mails[0] is the primary one."""

    name: str
    description: str = ""
    address: str = ""
    city: str = ""
    province: str = ""
    phone: str = ""
    fax: str = ""
    emails: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


def resolve_groups(buyer: Company, names: Iterable[str]) -> list[SupplierGroup]:
    """The buyer's groups with these names (case-insensitive), created as needed."""
    labels: dict[str, str] = {}
    for name in names:
        if name.strip():
            labels.setdefault(name.strip().casefold(), name.strip())
    if not labels:
        return []
    SupplierGroup.objects.bulk_create(
        [SupplierGroup(buyer=buyer, name=label) for label in labels.values()],
        ignore_conflicts=True,  # the case-insensitive unique constraint keeps existing ones
    )
    return [g for g in SupplierGroup.objects.for_company(buyer) if g.name.casefold() in labels]


def company_for_tax_id(tax_id: TaxId, legal_name: str) -> Company:
    company, _created = Company.objects.get_or_create(
        country=tax_id.country, tax_id=tax_id.number, defaults={"legal_name": legal_name}
    )
    return company


def _apply(supplier: Supplier, details: SupplierDetails) -> None:
    supplier.name = details.name
    supplier.description = details.description
    supplier.address = details.address
    supplier.city = details.city
    supplier.province = details.province
    supplier.phone = details.phone
    supplier.fax = details.fax
    supplier.email = details.emails[0] if details.emails else ""
    supplier.other_emails = details.emails[1:]


@transaction.atomic
def add_supplier(
    *,
    buyer: Company,
    tax_id: TaxId,
    details: SupplierDetails,
    by: User | None,
    source: str = Source.MANUAL,
    channel: str = Channel.PAGE,
) -> Supplier:
    existing = (
        Supplier.objects.for_company(buyer)
        .filter(country=tax_id.country, tax_id=tax_id.number)
        .first()
    )
    if existing is not None:
        raise SupplierAlreadyInNetwork(existing)
    supplier = Supplier(
        buyer=buyer,
        company=company_for_tax_id(tax_id, details.name),
        country=tax_id.country,
        tax_id=tax_id.number,
        source=source,
    )
    _apply(supplier, details)
    supplier.save()
    supplier.groups.set(resolve_groups(buyer, details.groups))
    record(
        company=buyer,
        actor=by,
        action="supplier.added",
        target=supplier,
        summary=f"{supplier.tax_id_display} {supplier.name}",
        channel=channel,
    )
    return supplier


@transaction.atomic
def update_supplier(
    *, supplier: Supplier, details: SupplierDetails, by: User | None, channel: str = Channel.PAGE
) -> Supplier:
    _apply(supplier, details)
    supplier.save()
    supplier.groups.set(resolve_groups(supplier.buyer, details.groups))
    record(
        company=supplier.buyer,
        actor=by,
        action="supplier.updated",
        target=supplier,
        summary=f"{supplier.tax_id_display} {supplier.name}",
        channel=channel,
    )
    return supplier
