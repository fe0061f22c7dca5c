"""/suppliers: the Suppliers list with its filters, adding, reading and changing a supplier.

Input is checked by the pages' own forms (tax IDs, e-mail lists, lengths), so the API
accepts exactly what the pages accept and answers with the same messages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from suppliernet.api.fields import Input, text
from suppliernet.api.pagination import Keyset, PageParams, by_datetime, paginate
from suppliernet.api.problems import ApiProblem, invalid_form
from suppliernet.audit.models import Channel
from suppliernet.companies.models import Company
from suppliernet.companies.taxids import COUNTRIES, InvalidTaxId, normalize_tax_id
from suppliernet.companies.tenancy import get_owned_or_404
from suppliernet.network.forms import AddSupplierForm, SupplierDetailsForm
from suppliernet.network.listing import SupplierFilterForm, filter_suppliers
from suppliernet.network.models import Source, Supplier, SupplierGroup
from suppliernet.network.suppliers import SupplierAlreadyInNetwork, add_supplier, update_supplier

router = Router(tags=["Suppliers"])

CountryCode = Literal[tuple(COUNTRIES)]  # type: ignore[valid-type]
SupplierSource = Literal[tuple(Source.values)]  # type: ignore[valid-type]
DETAIL_FIELDS = ("name", "description", "address", "city", "province", "phone", "fax")
SORTS = {
    "name": Keyset("name", "name_folded"),
    "created": by_datetime("created", "created_at"),
}


class SupplierOut(Schema):
    id: uuid.UUID
    country: str
    tax_id: str = Field(description="Canonical compact form, as stored and compared.")
    tax_id_display: str
    name: str
    description: str
    address: str
    city: str
    province: str
    phone: str
    fax: str
    emails: list[str] = Field(description="The first is the primary address.")
    groups: list[str]
    source: SupplierSource
    registered: bool
    registered_at: datetime | None
    document_count: int
    last_document_date: date | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, supplier: Supplier) -> SupplierOut:
        return cls(
            **{name: getattr(supplier, name) for name in DETAIL_FIELDS},
            id=supplier.id,
            country=supplier.country,
            tax_id=supplier.tax_id,
            tax_id_display=supplier.tax_id_display,
            emails=supplier.all_emails,
            groups=sorted(group.name for group in supplier.groups.all()),
            source=supplier.source,
            registered=supplier.company.registered_at is not None,
            registered_at=supplier.company.registered_at,
            document_count=supplier.document_count,
            last_document_date=supplier.last_document_date,
            created_at=supplier.created_at,
            updated_at=supplier.updated_at,
        )


class SupplierPage(Schema):
    items: list[SupplierOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: last.")


class SupplierPageParams(PageParams):
    sort: Literal["name", "created"] = Field(
        "name", description="name: A–Z; created: oldest first."
    )


class SupplierFilter(Schema):
    """The Suppliers list's filters. A `tax_id` that is a valid tax ID of `country` (default:
    your company's) finds exactly that supplier however it is formatted; anything else
    matches tax IDs starting with its digits."""

    tax_id: text(40) | None = None
    country: CountryCode | None = None
    q: text(200) | None = Field(None, description="Part of the name, any case and accents.")
    status: Literal["registered", "unregistered"] | None = None
    group: text(80) | None = Field(None, description="A group's name.")
    city: text(100) | None = None


def filtered_suppliers(buyer: Company, filters: SupplierFilter) -> QuerySet[Supplier]:
    """The buyer's suppliers that `filters` match, through the list's own form and filter."""
    suppliers = Supplier.objects.for_company(buyer)
    data = {name: getattr(filters, name) or "" for name in ("tax_id", "q", "status", "city")}
    if filters.group:
        groups = SupplierGroup.objects.for_company(buyer).filter(name__iexact=filters.group)
        group_id = groups.values_list("id", flat=True).first()
        if group_id is None:
            return suppliers.none()
        data["group"] = str(group_id)
    if filters.country:
        suppliers = suppliers.filter(country=filters.country)
    if filters.tax_id:
        try:
            tax_id = normalize_tax_id(filters.country or buyer.country, filters.tax_id)
        except InvalidTaxId:
            pass  # a partial number: the list's prefix search
        else:
            data["tax_id"] = tax_id.number
            suppliers = suppliers.filter(country=tax_id.country, tax_id=tax_id.number)
    form = SupplierFilterForm(data, buyer=buyer)
    if not form.is_valid():
        raise invalid_form(form)
    return filter_suppliers(suppliers, form.cleaned_data)


def _form_data(payload: Input, fields: set[str]) -> dict[str, Any]:
    """A body as the pages' form data: lists become the comma-separated text they type."""
    data = {name: getattr(payload, name) for name in fields}
    for name in ("emails", "groups"):
        if name in data:
            data[name] = ", ".join(data[name])
    return data


def _check_group_names(names: list[str]) -> None:
    # The form splits on these; a name containing one would silently become two groups.
    bad = [name for name in names if "," in name or ";" in name]
    if bad:
        message = _("Group names cannot contain commas or semicolons: “%(name)s”.")
        raise ApiProblem(
            422,
            "validation",
            message % {"name": bad[0]},
            errors=[("groups", message % {"name": name}) for name in bad],
        )


class SupplierIn(Input):
    country: CountryCode | None = Field(None, description="Default: your company's country.")
    tax_id: text(40, min_length=1, examples=["800.197.268-4"])
    name: text(200, min_length=1, examples=["Transportes del Norte S.A.S."])
    description: text(500) = ""
    address: text(300) = Field("", examples=["Calle 10 # 43-12"])
    city: text(100) = Field("", examples=["Medellín"])
    province: text(100) = ""
    phone: text(50) = ""
    fax: text(50) = ""
    emails: list[text(254)] = Field(
        default_factory=list,
        max_length=20,
        description="The first is the primary address.",
        examples=[["facturas@norte.example"]],
    )
    groups: list[text(80)] = Field(default_factory=list, max_length=50, examples=[["Logística"]])


class SupplierPatch(Input):
    """Only the fields sent change; the tax ID and country identify the supplier and do not."""

    name: text(200, min_length=1) = None  # type: ignore[assignment]
    description: text(500) = None  # type: ignore[assignment]
    address: text(300) = None  # type: ignore[assignment]
    city: text(100) = None  # type: ignore[assignment]
    province: text(100) = None  # type: ignore[assignment]
    phone: text(50) = None  # type: ignore[assignment]
    fax: text(50) = None  # type: ignore[assignment]
    emails: list[text(254)] = Field(None, max_length=20)  # type: ignore[assignment]
    groups: list[text(80)] = Field(None, max_length=50)  # type: ignore[assignment]


def _supplier(request: HttpRequest, supplier_id: uuid.UUID) -> Supplier:
    return get_owned_or_404(Supplier, request.auth.company, supplier_id)  # type: ignore[attr-defined]


@router.get("/suppliers", response=SupplierPage, summary="List suppliers")
def list_suppliers(
    request: HttpRequest, filters: Query[SupplierFilter], page: Query[SupplierPageParams]
) -> SupplierPage:
    company = request.auth.company  # type: ignore[attr-defined]
    suppliers = filtered_suppliers(company, filters).select_related("company")
    rows, next_cursor = paginate(suppliers.prefetch_related("groups"), SORTS[page.sort], page)
    return SupplierPage(items=[SupplierOut.of(s) for s in rows], next_cursor=next_cursor)


@router.post(
    "/suppliers", response={201: SupplierOut}, summary="Add a supplier (409 if already there)"
)
def create_supplier(request: HttpRequest, payload: SupplierIn) -> Status[SupplierOut]:
    token = request.auth  # type: ignore[attr-defined]
    _check_group_names(payload.groups)
    data = _form_data(payload, set(SupplierIn.model_fields))
    data["country"] = payload.country or token.company.country
    form = AddSupplierForm(data)
    if not form.is_valid():
        raise invalid_form(form)
    try:
        supplier = add_supplier(
            buyer=token.company,
            tax_id=form.normalized_tax_id,
            details=form.details(),
            by=token.created_by,
            channel=Channel.API,
        )
    except SupplierAlreadyInNetwork as error:
        raise ApiProblem(
            409,
            "supplier-exists",
            _("This tax ID is already in your network."),
            errors=[("tax_id", _("This tax ID is already in your network."))],
            supplier_id=str(error.existing.id),
        ) from None
    return Status(201, SupplierOut.of(supplier))


@router.get("/suppliers/{uuid:supplier_id}", response=SupplierOut, summary="Get a supplier")
def get_supplier(request: HttpRequest, supplier_id: uuid.UUID) -> SupplierOut:
    return SupplierOut.of(_supplier(request, supplier_id))


@router.patch("/suppliers/{uuid:supplier_id}", response=SupplierOut, summary="Change a supplier")
def patch_supplier(
    request: HttpRequest, supplier_id: uuid.UUID, payload: SupplierPatch
) -> SupplierOut:
    supplier = _supplier(request, supplier_id)
    sent = payload.model_fields_set
    for name in sent:
        if getattr(payload, name) is None:
            raise ApiProblem(
                422,
                "validation",
                _("Leave out a field to keep its value; null is not a value."),
                errors=[(name, _("Must not be null."))],
            )
    if "groups" in sent:
        _check_group_names(payload.groups)
    # The lists not sent are kept as stored, not as they would round-trip through the form.
    data = {**SupplierDetailsForm.initial_for(supplier), "emails": "", "groups": ""}
    form = SupplierDetailsForm({**data, **_form_data(payload, sent)})
    if not form.is_valid():
        raise invalid_form(form)
    details = form.details()
    if "emails" not in sent:
        details.emails = supplier.all_emails
    if "groups" not in sent:
        details.groups = [group.name for group in supplier.groups.all()]
    token = request.auth  # type: ignore[attr-defined]
    update_supplier(supplier=supplier, details=details, by=token.created_by, channel=Channel.API)
    return SupplierOut.of(supplier)
