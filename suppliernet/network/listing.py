"""The Suppliers list: filters that live in the URL, sorting and the counts line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from django import forms
from django.db.models import DateField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.taxids import search_key
from suppliernet.network.models import Supplier, SupplierGroup, SupplierGroupLink
from suppliernet.network.paging import Sort
from suppliernet.network.text import fold

# Each sort has an index on (buyer, its keys…) (models.Supplier.Meta, migration 0003).
# Suppliers without documents sort last under "latest document first": as the oldest date, so
# the order stays one comparable key (PostgreSQL's index is on this very expression).
NO_DOCUMENT = Value(date(1, 1, 1), output_field=DateField())
SORTS = {
    "name": Sort(("name_folded", "id")),
    "-name": Sort(("name_folded", "id"), descending=True),
    "tax_id": Sort(("tax_id", "id")),
    "-tax_id": Sort(("tax_id", "id"), descending=True),
    "city": Sort(("city_folded", "name_folded", "id")),
    "-city": Sort(("city_folded", "name_folded", "id"), descending=True),
    "-created": Sort(("created_at", "id"), descending=True),
    "-last_document": Sort(
        ("document_key", "id"),
        descending=True,
        expressions={
            "document_key": Coalesce("last_document_date", NO_DOCUMENT, output_field=DateField())
        },
    ),
}
DEFAULT_SORT = "name"
# Counting a million rows costs more than the page: beyond this the list says "more than".
COUNT_LIMIT = 10_000


def _attrs(attrs: dict) -> str:
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class ListSelect(forms.Select):
    """A select rendered as Django's own templates render it (whitespace included), minus a
    template include per option: the group filter has one option per group, on every page."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _choices, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                option["value"],
                mark_safe(_attrs(option["attrs"])),
                option["label"],
            )
            for _group_name, choices, _index in widget["optgroups"]
            for option in choices
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            mark_safe(_attrs(widget["attrs"])),
            mark_safe(options),
        )


class SupplierFilterForm(forms.Form):
    tax_id = forms.CharField(label=_("Tax ID"), required=False, max_length=40)
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=ListSelect,
        choices=[
            ("", _("All")),
            ("registered", _("Registered")),
            ("unregistered", _("Not registered")),
        ],
    )
    documents = forms.ChoiceField(
        label=_("Documents"),
        required=False,
        widget=ListSelect,
        choices=[
            ("", _("All")),
            ("received", _("Has sent documents")),
            ("uninvited", _("Sent documents, never invited")),
        ],
    )
    group = forms.ChoiceField(label=_("Group"), required=False, widget=ListSelect)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=ListSelect,
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
    """`filters` is a bound, valid SupplierFilterForm's cleaned_data. The list pages the
    result in `SORTS[sort_name(filters)]` (see `paging.keyset_page`)."""
    if key := search_key(filters.get("tax_id") or ""):
        suppliers = suppliers.filter(tax_id__startswith=key)
    if name := fold(filters.get("q") or "").strip():
        suppliers = suppliers.filter(name_folded__contains=name)
    if city := fold(filters.get("city") or "").strip():
        suppliers = suppliers.filter(city_folded__contains=city)
    if filters.get("status") == "registered":
        suppliers = suppliers.filter(registered=True)
    elif filters.get("status") == "unregistered":
        suppliers = suppliers.filter(registered=False)
    if filters.get("documents") in ("received", "uninvited"):
        suppliers = suppliers.filter(last_document_date__isnull=False)
    if filters.get("documents") == "uninvited":  # not one invitation, whatever became of it
        suppliers = suppliers.exclude(invitations__isnull=False)
    if group := filters.get("group"):
        suppliers = suppliers.filter(groups__id=group)
    return suppliers


# Sorts a group's links carry the keys of (SupplierGroupLink.name_folded, its index).
LINK_COLUMNS = {"id": "supplier_id"}
LINK_SORTS = {"name", "-name"}


def group_links(suppliers: QuerySet[Supplier], filters: dict) -> QuerySet | None:
    """With a group filter, the group's links to the filtered suppliers, None without one.

    A name-sorted page's keys (`paging.keyset_page` with `LINK_COLUMNS`) and the counts come
    from the links' indexes on (group, [registered,] name, supplier): one range of a group,
    however big or far down the alphabet, where walking the suppliers' name index for the
    group's members read half a million rows. The name and status filters use the links'
    copies; the others look each link's supplier up (slower for a big group: a few ms per
    thousand links). The buyer's own groups only link the buyer's suppliers, and the page's
    rows are loaded from the buyer's suppliers whatever the keys say."""
    if not (group := filters.get("group")):
        return None
    links = SupplierGroupLink.objects.filter(suppliergroup_id=group)
    if name := fold(filters.get("q") or "").strip():
        links = links.filter(name_folded__contains=name)
    if filters.get("status") in ("registered", "unregistered"):
        links = links.filter(registered=filters["status"] == "registered")
    others = {**filters, "group": "", "q": "", "status": ""}
    if any(others.get(name) for name in ("tax_id", "city", "documents")):
        links = links.filter(supplier__in=filter_suppliers(suppliers, others))
    return links


def sort_name(filters: dict) -> str:
    return filters.get("sort") if filters.get("sort") in SORTS else DEFAULT_SORT


class Count(int):
    """How many, exactly up to `COUNT_LIMIT`; when there are more, `more` is set and the
    number is `COUNT_LIMIT` ("more than 10,000")."""

    more: bool

    def __new__(cls, found: int) -> Count:
        count = super().__new__(cls, min(found, COUNT_LIMIT))
        count.more = found > COUNT_LIMIT
        return count


def bounded_count(suppliers: QuerySet[Supplier]) -> Count:
    return Count(suppliers.order_by()[: COUNT_LIMIT + 1].count())


def count_suppliers(suppliers: QuerySet) -> dict[str, Count]:
    """`suppliers`: the filtered suppliers, or a group's links to them (`group_links`)."""
    return {
        "total": bounded_count(suppliers),
        "registered": bounded_count(suppliers.filter(registered=True)),
    }


# Stands for a supplier's id in a URL reversed once per page (see `prepare_rows`).
_ANY_ID = UUID(int=0)
# What a row shows (supplier_list.html) and every sort's keys: the page loads just these.
ROW_FIELDS = ["id", "buyer", "country", "tax_id", "name", "city", "last_document_date"]
ROW_FIELDS += ["registered", "name_folded", "city_folded", "created_at"]


def page_rows(suppliers: QuerySet[Supplier]) -> QuerySet[Supplier]:
    return suppliers.only(*ROW_FIELDS)


def prepare_rows(suppliers: Sequence[Supplier]) -> Sequence[Supplier]:
    """Sets what each row of a list page shows and would otherwise cost a URL reversal, a
    translation or a queryset per row in the template (a third of a page's time at 50 rows):
    `detail_url`, `invite_url`, `select_label` and `group_names` (in one query, by name)."""
    detail, invite = (
        reverse(name, args=[_ANY_ID]).split(str(_ANY_ID))
        for name in ("supplier_detail", "supplier_invite")
    )
    select = gettext("Select %(name)s")
    names: dict[UUID, list[str]] = {supplier.id: [] for supplier in suppliers}
    links = SupplierGroupLink.objects.filter(supplier__in=list(names))
    for supplier_id, name in links.order_by("suppliergroup__name").values_list(
        "supplier_id", "suppliergroup__name"
    ):
        names[supplier_id].append(name)
    for supplier in suppliers:
        supplier_id = str(supplier.id)
        supplier.detail_url = supplier_id.join(detail)
        supplier.invite_url = supplier_id.join(invite)
        supplier.select_label = select % {"name": supplier.name}
        supplier.group_names = names[supplier.id]
    return suppliers
