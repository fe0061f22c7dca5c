from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from suppliernet.companies.tenancy import company_view, get_owned_or_404
from suppliernet.imports import report
from suppliernet.imports.forms import UploadForm
from suppliernet.imports.models import Channel, Status, SupplierImport
from suppliernet.imports.processing import ProcessingRefused, start_processing
from suppliernet.imports.template import write_template_csv, write_template_xlsx
from suppliernet.imports.uploads import start_import

ROWS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@company_view()
def import_list(request: HttpRequest) -> HttpResponse:
    imports = SupplierImport.objects.for_company(request.company).select_related("uploaded_by")
    page = Paginator(imports, settings.SUPPLIERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"page": page})


@company_view(admin=True)
def import_new(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        supplier_import = start_import(
            buyer=request.company,
            file=upload,
            file_name=upload.name,
            by=request.user,
            channel=Channel.PAGE,
        )
        if supplier_import.status != Status.REJECTED:
            return redirect(supplier_import)
        form.add_error("file", supplier_import.message)
    return render(
        request,
        "imports/import_new.html",
        {"form": form, "max_rows": settings.IMPORT_MAX_ROWS},
        status=400 if form.errors else 200,
    )


@company_view()
def import_template(request: HttpRequest, file_format: str) -> HttpResponse:
    lang = "es" if (get_language() or "").startswith("es") else "en"
    name = "plantilla-proveedores" if lang == "es" else "supplier-template"
    if file_format == "xlsx":
        response = HttpResponse(write_template_xlsx(lang), content_type=XLSX)
    else:
        response = HttpResponse(write_template_csv(lang), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    return response


@company_view()
def import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    supplier_import = get_owned_or_404(SupplierImport, request.company, import_id)
    tabs = report.tabs(supplier_import)
    shown = next((tab for tab in tabs if tab.key == request.GET.get("show")), None)
    if shown is None and tabs:  # the first tab with rows, errors first in the preview
        ordered = sorted(tabs, key=lambda tab: tab.key != "errors")
        shown = next((tab for tab in ordered if tab.count(supplier_import)), tabs[0])
    page = None
    if shown is not None:
        page = Paginator(report.rows(supplier_import, shown), ROWS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "imports/import_detail.html",
        {
            "supplier_import": supplier_import,
            "tabs": [(tab, tab.count(supplier_import)) for tab in tabs],
            "shown": shown,
            "page": page,
            "query": f"show={shown.key}" if shown else "",
        },
    )


@require_POST
@company_view(admin=True)
def import_process(request: HttpRequest, import_id: str) -> HttpResponse:
    supplier_import = get_owned_or_404(SupplierImport, request.company, import_id)
    try:
        start_processing(
            supplier_import=supplier_import,
            by=request.user,
            valid_only=request.POST.get("valid_only") == "1",
        )
    except ProcessingRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(supplier_import)


@company_view()
def import_error_file(request: HttpRequest, import_id: str) -> HttpResponse:
    supplier_import = get_owned_or_404(SupplierImport, request.company, import_id)
    if not supplier_import.rows_with_errors:
        raise Http404
    response = StreamingHttpResponse(
        report.error_file(supplier_import), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, report.error_file_name(supplier_import)
    )
    return response
