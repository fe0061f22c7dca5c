"""The Suppliers list: filters that live in the URL, sorting and the counts line."""

from __future__ import annotations

from django import forms
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.taxids import search_key
from suppliernet.network.models import Supplier, SupplierGroup
from suppliernet.network.text import fold

SORTS = {
    "name": ("name_folded", "id"),
    "-name": ("-name_folded", "-id"),
    "tax_id": ("tax_id", "id"),
    "-tax_id": ("-tax_id", "-id"),
    "city": ("city_folded", "name_folded", "id"),
    "-city": ("-city_folded", "-name_folded", "-id"),
    "-created": ("-created_at", "-id"),
    "-last_document": (F("last_document_date").desc(nulls_last=True), "-id"),
}


class SupplierFilterForm(forms.Form):
    tax_id = forms.CharField(label=_("Tax ID"), required=False, max_length=40)
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("registered", _("Registered")),
            ("unregistered", _("Not registered")),
        ],
    )
    documents = forms.ChoiceField(
        label=_("Documents"),
        required=False,
        choices=[
            ("", _("All")),
            ("received", _("Has sent documents")),
            ("uninvited", _("Sent documents, never invited")),
        ],
    )
    group = forms.ChoiceField(label=_("Group"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("tax_id", _("Tax ID")),
            ("city", _("City")),
            ("-created", _("Newest first")),
            ("-last_document", _("Latest document first")),
        ],
    )

    def __init__(self, *args, buyer: Company, **kwargs):
        super().__init__(*args, **kwargs)
        groups = SupplierGroup.objects.for_company(buyer).values_list("id", "name")
        self.fields["group"].choices = [("", _("All groups"))] + [(str(i), n) for i, n in groups]


def filter_suppliers(suppliers: QuerySet[Supplier], filters: dict) -> QuerySet[Supplier]:
    """`filters` is a bound, valid SupplierFilterForm's cleaned_data."""
    if key := search_key(filters.get("tax_id") or ""):
        suppliers = suppliers.filter(tax_id__startswith=key)
    if name := fold(filters.get("q") or "").strip():
        suppliers = suppliers.filter(name_folded__contains=name)
    if city := fold(filters.get("city") or "").strip():
        suppliers = suppliers.filter(city_folded__contains=city)
    if filters.get("status") == "registered":
        suppliers = suppliers.filter(company__registered_at__isnull=False)
    elif filters.get("status") == "unregistered":
        suppliers = suppliers.filter(company__registered_at__isnull=True)
    if filters.get("documents") in ("received", "uninvited"):
        suppliers = suppliers.filter(last_document_date__isnull=False)
    if filters.get("documents") == "uninvited":  # not one invitation, whatever became of it
        suppliers = suppliers.exclude(invitations__isnull=False)
    if group := filters.get("group"):
        suppliers = suppliers.filter(groups__id=group)
    return suppliers.order_by(*SORTS.get(filters.get("sort") or "name", SORTS["name"]))


def count_suppliers(suppliers: QuerySet[Supplier]) -> dict[str, int]:
    return suppliers.order_by().aggregate(
        total=Count("id"),
        registered=Count("id", filter=Q(company__registered_at__isnull=False)),
    )
