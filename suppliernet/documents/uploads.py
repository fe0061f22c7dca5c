"""Uploads from the Documents page: read during the request when small, by the task worker
when reading could take more than about a second (DOCUMENTS_INLINE_MAX_BYTES)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from suppliernet.audit.models import Channel
from suppliernet.companies.models import Company, User
from suppliernet.documents.ingestion import ingest_documents
from suppliernet.documents.kinds import Outcome
from suppliernet.documents.models import DocumentUpload, PendingFile, UploadStatus


def receive_upload(*, buyer: Company, files: list[tuple[str, bytes]], by: User) -> DocumentUpload:
    size = sum(len(data) for _name, data in files)
    with transaction.atomic():
        upload = DocumentUpload.objects.create(
            buyer=buyer,
            uploaded_by=by,
            file_names=", ".join(name for name, _data in files)[:500],
            size=size,
        )
        if size > settings.DOCUMENTS_INLINE_MAX_BYTES:
            PendingFile.objects.bulk_create(
                PendingFile(upload=upload, name=name[:255], content=data) for name, data in files
            )
            from suppliernet.documents.tasks import read_uploaded_documents  # imports this module

            transaction.on_commit(lambda: read_uploaded_documents.enqueue(upload_id=str(upload.id)))
            return upload
    return _read(upload, files)


def read_pending_upload(*, upload: DocumentUpload) -> DocumentUpload:
    """The worker's part: the files kept with the upload, read and then deleted."""
    if upload.status != UploadStatus.PENDING:  # a task run twice does nothing twice
        return upload
    files = (
        (pending.name, bytes(pending.content))
        for pending in upload.files.all().iterator(chunk_size=1)  # one file in memory at a time
    )
    upload = _read(upload, files)
    upload.files.all().delete()
    return upload


def _read(upload: DocumentUpload, files: Iterable[tuple[str, bytes]]) -> DocumentUpload:
    try:
        report = ingest_documents(
            buyer=upload.buyer, files=files, by=upload.uploaded_by, channel=Channel.PAGE
        )
    except Exception:
        # Whatever went wrong, the page must stop saying "being read".
        DocumentUpload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.FAILED, finished_at=timezone.now()
        )
        raise
    upload.accepted = report.count(Outcome.ACCEPTED)
    upload.duplicates = report.count(Outcome.DUPLICATE)
    upload.rejected = report.count(Outcome.REJECTED)
    upload.skipped = report.count(Outcome.SKIPPED)
    upload.new_suppliers = report.new_suppliers
    upload.results = [result.as_dict() for result in report.results]
    upload.status = UploadStatus.DONE
    upload.finished_at = timezone.now()
    upload.save()
    return upload
