from __future__ import annotations

import factory

from suppliernet.documents.models import DocumentUpload, UploadStatus
from tests.factories import CompanyFactory


class DocumentUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentUpload

    buyer = factory.SubFactory(CompanyFactory)
    file_names = "facturas.zip"
    size = 1024
    status = UploadStatus.DONE
