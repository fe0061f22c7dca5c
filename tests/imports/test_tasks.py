from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from suppliernet.imports.models import Status, SupplierImport
from suppliernet.network.models import Supplier
from suppliernet.outbox.models import OutgoingMail
from tests.imports.helpers import csv_bytes, row


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker runs its tasks in their own transactions
def test_the_task_worker_checks_and_processes_an_upload(alice_client, company_a):
    content = csv_bytes([row(n, notify="1" if n == 1 else "0") for n in range(1, 4)])
    alice_client.post(reverse("import_new"), {"file": SimpleUploadedFile("s.csv", content)})
    supplier_import = SupplierImport.objects.get()

    run_worker()
    supplier_import.refresh_from_db()
    assert (supplier_import.status, supplier_import.rows_to_create) == (Status.VALIDATED, 3)

    alice_client.post(reverse("import_process", args=[supplier_import.id]))
    run_worker()  # the import, then the delivery of its invitation
    supplier_import.refresh_from_db()
    assert (supplier_import.status, supplier_import.created) == (Status.DONE, 3)
    assert Supplier.objects.for_company(company_a).count() == 3
    assert OutgoingMail.objects.count() == 1
