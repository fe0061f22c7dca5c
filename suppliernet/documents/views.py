from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suppliernet.companies.tenancy import company_view, get_owned_or_404
from suppliernet.documents.emails import NoSuggestion, use_suggested_email
from suppliernet.documents.forms import UploadForm
from suppliernet.documents.models import DocumentUpload, ReceivedDocument
from suppliernet.documents.uploads import receive_upload
from suppliernet.network.models import Supplier

RECENT_UPLOADS = 10


@company_view()
def document_list(request: HttpRequest) -> HttpResponse:
    documents = ReceivedDocument.objects.for_company(request.company).select_related("supplier")
    supplier = None
    if supplier_id := _uuid(request.GET.get("supplier")):
        supplier = Supplier.objects.for_company(request.company).filter(pk=supplier_id).first()
        documents = documents.filter(supplier=supplier)
    page = Paginator(documents, settings.SUPPLIERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    uploads = (
        DocumentUpload.objects.for_company(request.company)
        .select_related("uploaded_by")
        .defer("results")[:RECENT_UPLOADS]
    )
    return render(
        request,
        "documents/document_list.html",
        {
            "form": UploadForm(),
            "page": page,
            "query": query.urlencode(),
            "supplier": supplier,
            "uploads": uploads,
        },
    )


@company_view(admin=True)
def document_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "documents/upload.html", {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "documents/upload.html", {"form": form}, status=400)
    upload = receive_upload(buyer=request.company, files=form.contents(), by=request.user)
    return redirect("document_upload_detail", upload_id=upload.id)


@company_view()
def document_upload_detail(request: HttpRequest, upload_id: str) -> HttpResponse:
    upload = get_owned_or_404(DocumentUpload, request.company, upload_id)
    return render(request, "documents/upload_detail.html", {"upload": upload})


@require_POST
@company_view(admin=True)
def supplier_use_suggested_email(request: HttpRequest, supplier_id: str) -> HttpResponse:
    supplier = get_owned_or_404(Supplier, request.company, supplier_id)
    try:
        use_suggested_email(supplier=supplier, by=request.user)
    except NoSuggestion:
        messages.info(request, _("There is no e-mail suggestion to use."))
    else:
        messages.success(
            request, _("%(email)s is now the primary e-mail.") % {"email": supplier.email}
        )
    return redirect(supplier)


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None
