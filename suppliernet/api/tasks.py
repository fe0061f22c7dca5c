"""Background work started from the API: thin, reloads by ID and calls the same rules."""

from __future__ import annotations

from django_tasks import task

from suppliernet.api.models import ApiToken
from suppliernet.audit.models import Channel
from suppliernet.imports.models import Status as ImportState
from suppliernet.imports.models import SupplierImport
from suppliernet.imports.processing import ProcessingRefused, start_processing
from suppliernet.imports.validation import validate_file
from suppliernet.invitations.sending import invite_suppliers


@task()
def invite_matching(*, buyer_id: str, token_id: str, filters: dict) -> str:
    """A bulk invitation by filter over more suppliers than one request should handle."""
    from suppliernet.api.suppliers import SupplierFilter, filtered_suppliers

    token = ApiToken.objects.select_related("company", "created_by").get(
        pk=token_id, company_id=buyer_id
    )
    report = invite_suppliers(
        buyer=token.company,
        suppliers=filtered_suppliers(token.company, SupplierFilter(**filters)),
        by=token.created_by,
        channel=Channel.API,
    )
    return report.summary()


@task()
def check_and_process_import(*, import_id: str, valid_only: bool) -> str:
    """An upload without dry_run: checked, then processed when nothing stands in the way
    (otherwise it stays checked, and POST /imports/{id}/process decides)."""
    supplier_import = validate_file(
        supplier_import=SupplierImport.objects.select_related("buyer").get(pk=import_id)
    )
    if supplier_import.status != ImportState.VALIDATED:
        return supplier_import.status
    try:
        supplier_import = start_processing(
            supplier_import=supplier_import,
            by=supplier_import.uploaded_by,
            valid_only=valid_only,
        )
    except ProcessingRefused as refusal:
        return refusal.message
    return supplier_import.status
