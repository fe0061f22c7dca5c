"""Background work: thin tasks that reload by ID and call the same rule as the page."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from suppliernet.documents.models import DocumentUpload
from suppliernet.documents.uploads import read_pending_upload


@task()
def read_uploaded_documents(*, upload_id: str) -> str:
    """An upload too large to read during its request."""
    upload = DocumentUpload.objects.select_related("buyer", "uploaded_by").get(pk=upload_id)
    # The results are kept as text: in the uploader's language, as the page would have.
    language = getattr(upload.uploaded_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        upload = read_pending_upload(upload=upload)
    return f"{upload.accepted} accepted, {upload.rejected} rejected"
