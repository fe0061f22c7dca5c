"""/documents: received e-invoices (XML, or zips of them) uploaded by an ERP, read as on the
Documents page: small uploads during the request, larger ones by the task worker."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile

from suppliernet.api.problems import invalid_form
from suppliernet.companies.tenancy import get_owned_or_404
from suppliernet.documents.forms import UploadForm
from suppliernet.documents.kinds import Outcome
from suppliernet.documents.models import DocumentUpload, UploadStatus
from suppliernet.documents.uploads import receive_upload

router = Router(tags=["Documents"])


class FileResultOut(Schema):
    name: str
    outcome: Literal[tuple(Outcome.values)]  # type: ignore[valid-type]
    reason: str
    document: str
    issuer: str
    supplier_id: str = ""
    new_supplier: bool = False


class DocumentUploadOut(Schema):
    id: uuid.UUID
    status: Literal[tuple(UploadStatus.values)]  # type: ignore[valid-type]
    file_names: str
    size: int
    created_at: datetime
    finished_at: datetime | None
    accepted: int
    duplicates: int
    rejected: int
    skipped: int
    new_suppliers: int
    results: list[FileResultOut]

    @classmethod
    def of(cls, upload: DocumentUpload) -> DocumentUploadOut:
        return cls.model_validate(upload, from_attributes=True)


@router.post(
    "/documents",
    response={201: DocumentUploadOut, 202: DocumentUploadOut},
    summary="Upload received e-invoices (XML or zip)",
)
def upload_documents(
    request: HttpRequest, files: File[list[UploadedFile]]
) -> Status[DocumentUploadOut]:
    """Each document's issuer joins your suppliers. 201: read, with a result per file;
    202: large, read by the task worker: poll GET /documents/uploads/{id}."""
    token = request.auth  # type: ignore[attr-defined]
    form = UploadForm({}, request.FILES)
    if not form.is_valid():
        raise invalid_form(form)
    upload = receive_upload(buyer=token.company, files=form.contents(), by=token.created_by)
    return Status(
        202 if upload.status == UploadStatus.PENDING else 201, DocumentUploadOut.of(upload)
    )


@router.get(
    "/documents/uploads/{uuid:upload_id}", response=DocumentUploadOut, summary="An upload's results"
)
def get_upload(request: HttpRequest, upload_id: uuid.UUID) -> DocumentUploadOut:
    company = request.auth.company  # type: ignore[attr-defined]
    return DocumentUploadOut.of(get_owned_or_404(DocumentUpload, company, upload_id))
