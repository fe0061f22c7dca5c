"""The import's background jobs: thin, they reload the import and call the same functions
the command line runs in-process."""

from __future__ import annotations

from django_tasks import task

from suppliernet.imports.models import SupplierImport
from suppliernet.imports.processing import process_file
from suppliernet.imports.validation import validate_file


@task()
def validate_import(import_id: str) -> str:
    supplier_import = SupplierImport.objects.select_related("buyer").get(pk=import_id)
    return validate_file(supplier_import=supplier_import).status


@task()
def process_import(import_id: str) -> str:
    supplier_import = SupplierImport.objects.get(pk=import_id)
    return process_file(supplier_import=supplier_import).status
