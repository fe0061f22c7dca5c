"""/imports: uploading a supplier file, watching it being checked and processed, processing
it, and the error file. The same functions as the Imports pages, run by the task worker."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from django.db import transaction
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from suppliernet.api.fields import Input
from suppliernet.api.pagination import PageParams, by_datetime, paginate
from suppliernet.api.problems import ApiProblem
from suppliernet.companies.tenancy import get_owned_or_404
from suppliernet.imports import report
from suppliernet.imports.models import Channel, SupplierImport
from suppliernet.imports.models import Status as ImportState
from suppliernet.imports.processing import ProcessingRefused, start_processing
from suppliernet.imports.reading import FileRejected
from suppliernet.imports.uploads import start_import

router = Router(tags=["Imports"])

ImportStatus = Literal[tuple(ImportState.values)]  # type: ignore[valid-type]
NEWEST_FIRST = by_datetime("newest", "created_at", descending=True)


class Preview(Schema):
    """What checking found the rows would do."""

    rows_total: int
    to_create: int
    to_update: int
    unchanged: int
    with_errors: int
    to_notify: int


class Result(Schema):
    """What processing did."""

    created: int
    updated: int
    unchanged: int
    invited: int
    not_invited: dict[str, int] = Field(
        description="Notify = 1 rows not invited, by reason: already_invited, registered, …"
    )
    failed: int


class ImportOut(Schema):
    id: uuid.UUID
    file_name: str
    size: int
    sha256: str
    status: ImportStatus = Field(
        description="uploaded → validating → validated (or rejected) → processing → done "
        "(or failed)"
    )
    message: str = Field(description="Why the file was rejected or processing stopped.")
    running: bool = Field(description="Still being checked or processed: poll again.")
    rows_done: int = Field(description="Rows checked so far, then rows written so far.")
    progress: float = Field(description="0 to 1, of the current step.")
    preview: Preview
    result: Result
    errors_url: str | None = Field(description="The error file, when rows have errors.")
    created_at: datetime
    validated_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, supplier_import: SupplierImport) -> ImportOut:
        i = supplier_import
        if i.status == ImportState.PROCESSING:
            progress = i.rows_done / i.rows_valid if i.rows_valid else 0.0
        else:
            progress = 0.0 if i.is_running else 1.0
        return cls(
            id=i.id,
            file_name=i.file_name,
            size=i.size,
            sha256=i.sha256,
            status=i.status,
            message=i.message,
            running=i.is_running,
            rows_done=i.rows_done,
            progress=min(progress, 1.0),
            preview=Preview(
                rows_total=i.rows_total,
                to_create=i.rows_to_create,
                to_update=i.rows_to_update,
                unchanged=i.rows_unchanged,
                with_errors=i.rows_with_errors,
                to_notify=i.rows_to_notify,
            ),
            result=Result(
                created=i.created,
                updated=i.updated,
                unchanged=i.unchanged,
                invited=i.invited,
                not_invited=i.skipped,
                failed=i.failed,
            ),
            errors_url=reverse("api:import_errors", args=[i.id]) if i.rows_with_errors else None,
            created_at=i.created_at,
            validated_at=i.validated_at,
            started_at=i.started_at,
            finished_at=i.finished_at,
        )


class ImportPage(Schema):
    items: list[ImportOut]
    next_cursor: str | None


class ProcessIn(Input):
    valid_only: bool = Field(
        False, description="Write the valid rows and leave out the rows with errors."
    )


def _import(request: HttpRequest, import_id: uuid.UUID) -> SupplierImport:
    return get_owned_or_404(SupplierImport, request.auth.company, import_id)  # type: ignore[attr-defined]


@router.post("/imports", response={201: ImportOut}, summary="Upload a supplier file")
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    valid_only: Form[bool] = False,
) -> Status[ImportOut]:
    """The filled-in supplier template (.xlsx or .csv). It is checked in the background;
    then, unless `dry_run`, processed (with `valid_only`, also when some rows have errors).
    Poll GET /imports/{id} until `running` is false."""
    token = request.auth  # type: ignore[attr-defined]
    try:
        supplier_import = start_import(
            buyer=token.company,
            file=file,
            file_name=file.name or "suppliers",
            by=token.created_by,
            channel=Channel.API,
            enqueue=dry_run,
        )
    except FileRejected as rejection:
        raise ApiProblem(
            422, "file-rejected", rejection.message, errors=[("file", rejection.message)]
        ) from None
    if not dry_run and supplier_import.status == ImportState.UPLOADED:
        from suppliernet.api.tasks import check_and_process_import

        arguments = {"import_id": str(supplier_import.id), "valid_only": valid_only}
        transaction.on_commit(lambda: check_and_process_import.enqueue(**arguments))
    return Status(201, ImportOut.of(supplier_import))


@router.get("/imports", response=ImportPage, summary="List imports, newest first")
def list_imports(request: HttpRequest, page: Query[PageParams]) -> ImportPage:
    imports = SupplierImport.objects.for_company(request.auth.company)  # type: ignore[attr-defined]
    rows, next_cursor = paginate(imports, NEWEST_FIRST, page)
    return ImportPage(items=[ImportOut.of(i) for i in rows], next_cursor=next_cursor)


@router.get("/imports/{uuid:import_id}", response=ImportOut, summary="Status, progress and counts")
def get_import(request: HttpRequest, import_id: uuid.UUID) -> ImportOut:
    return ImportOut.of(_import(request, import_id))


@router.post(
    "/imports/{uuid:import_id}/process",
    response={202: ImportOut},
    summary="Process a checked file (or resume a failed one)",
)
def process(request: HttpRequest, import_id: uuid.UUID, payload: ProcessIn) -> Status[ImportOut]:
    token = request.auth  # type: ignore[attr-defined]
    try:
        supplier_import = start_processing(
            supplier_import=_import(request, import_id),
            by=token.created_by,
            valid_only=payload.valid_only,
        )
    except ProcessingRefused as refusal:
        raise ApiProblem(409, "not-processable", refusal.message) from None
    return Status(202, ImportOut.of(supplier_import))


@router.get(
    "/imports/{uuid:import_id}/errors",
    url_name="import_errors",
    summary="The rows with errors, as CSV",
    openapi_extra={
        "responses": {
            200: {
                "description": "The rows as read plus an Error column; fix and upload it.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def error_file(request: HttpRequest, import_id: uuid.UUID) -> StreamingHttpResponse:
    supplier_import = _import(request, import_id)
    if not supplier_import.rows_with_errors:
        raise Http404(_("This file has no rows with errors."))
    response = StreamingHttpResponse(
        report.error_file(supplier_import), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, report.error_file_name(supplier_import)
    )
    return response
