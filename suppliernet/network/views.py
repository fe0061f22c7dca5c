from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from suppliernet.companies.tenancy import company_view, get_owned_or_404
from suppliernet.invitations.listing import with_latest_invitation
from suppliernet.network.forms import AddSupplierForm, SupplierDetailsForm
from suppliernet.network.listing import (
    LINK_COLUMNS,
    LINK_SORTS,
    SORTS,
    SupplierFilterForm,
    count_suppliers,
    filter_suppliers,
    group_links,
    page_rows,
    prepare_rows,
    sort_name,
)
from suppliernet.network.models import Supplier
from suppliernet.network.paging import keyset_page
from suppliernet.network.suppliers import SupplierAlreadyInNetwork, add_supplier, update_supplier


@company_view()
def supplier_list(request: HttpRequest) -> HttpResponse:
    filters = SupplierFilterForm(request.GET, buyer=request.company)
    suppliers = Supplier.objects.for_company(request.company)
    links = None
    if filters.is_valid():
        links = group_links(suppliers, filters.cleaned_data)
        suppliers = filter_suppliers(suppliers, filters.cleaned_data)
        sort = sort_name(filters.cleaned_data)
    else:
        suppliers, sort = suppliers.none(), sort_name({})
    by_link = links is not None and sort in LINK_SORTS
    page = keyset_page(
        links if by_link else suppliers,
        sort,
        SORTS[sort],
        request.GET,
        settings.SUPPLIERS_PER_PAGE,
        rows=page_rows(Supplier.objects.for_company(request.company)),
        columns=LINK_COLUMNS if by_link else {},
    )
    page.object_list = prepare_rows(with_latest_invitation(page.object_list))
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return render(
        request,
        "network/supplier_list.html",
        {
            "filters": filters,
            "page": page,
            "counts": count_suppliers(suppliers if links is None else links),
            "query": query.urlencode(),
            # Where each row's Invite returns to (computed once, not per row).
            "here": quote(request.get_full_path(), safe="/"),
            # The same for every registered row: rendered once.
            "registered_check": render_to_string("includes/registered_check.html"),
        },
    )


@company_view()
def supplier_detail(request: HttpRequest, supplier_id: str) -> HttpResponse:
    supplier = get_owned_or_404(Supplier, request.company, supplier_id)
    return render(request, "network/supplier_detail.html", {"supplier": supplier})


@company_view(admin=True)
def supplier_add(request: HttpRequest) -> HttpResponse:
    form = AddSupplierForm(request.POST or None, initial={"country": request.company.country})
    if request.method == "POST" and form.is_valid():
        try:
            supplier = add_supplier(
                buyer=request.company,
                tax_id=form.normalized_tax_id,
                details=form.details(),
                by=request.user,
            )
        except SupplierAlreadyInNetwork as error:
            form.add_error("tax_id", _("This tax ID is already in your network."))
            return render(
                request,
                "network/supplier_add.html",
                {"form": form, "existing": error.existing},
                status=409,
            )
        if form.normalized_tax_id.assumed:
            messages.info(request, form.normalized_tax_id.assumed)
        messages.success(request, _("Supplier %(name)s added.") % {"name": supplier.name})
        if not supplier.is_registered:  # Add Supplier → Send: offer its invitation next
            return redirect(f"{reverse('supplier_invite', args=[supplier.id])}?added=1")
        return redirect(supplier)
    return render(request, "network/supplier_add.html", {"form": form})


@company_view(admin=True)
def supplier_edit(request: HttpRequest, supplier_id: str) -> HttpResponse:
    supplier = get_owned_or_404(Supplier, request.company, supplier_id)
    form = SupplierDetailsForm(
        request.POST or None, initial=SupplierDetailsForm.initial_for(supplier)
    )
    if request.method == "POST" and form.is_valid():
        update_supplier(supplier=supplier, details=form.details(), by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect(supplier)
    return render(request, "network/supplier_edit.html", {"form": form, "supplier": supplier})
