"""The company's home page: where it stands as a supplier and as a buyer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from suppliernet.companies.models import Company, Membership
from suppliernet.network.models import Supplier

SHOWN = 50  # buyers and users listed on the page; the rest are counted


@dataclass(frozen=True)
class BuyerLink:
    name: str
    since: datetime


@dataclass(frozen=True)
class Overview:
    buyers: list[BuyerLink]
    buyer_count: int
    members: QuerySet[Membership]
    member_count: int
    supplier_count: int


def company_overview(*, company: Company) -> Overview:
    # Deliberately across tenants: the networks that list this company. Only each buyer's
    # name and the date leave those rows; the details a buyer keeps stay its own.
    listed_by = Supplier.objects.filter(company=company)
    buyers = [
        BuyerLink(name=name, since=since)
        for name, since in listed_by.order_by("buyer__legal_name").values_list(
            "buyer__legal_name", "created_at"
        )[:SHOWN]
    ]
    members = Membership.objects.filter(company=company).select_related("user")
    return Overview(
        buyers=buyers,
        buyer_count=listed_by.count(),
        members=members.order_by("role", "user__email")[:SHOWN],  # admins first
        member_count=members.count(),
        supplier_count=Supplier.objects.for_company(company).count(),
    )
