from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from suppliernet.imports.models import Channel, Status, SupplierImport
from suppliernet.network.models import Supplier
from tests.api.conftest import assert_problem
from tests.imports.factories import SupplierImportFactory
from tests.imports.helpers import csv_bytes, row


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, verbosity=0)


def upload(api, content: bytes, **fields):
    return api.post("/imports", data={"file": SimpleUploadedFile("s.csv", content), **fields})


def poll(api, import_id: str) -> dict:
    response = api.get(f"/imports/{import_id}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_checked_then_processed_by_the_worker(api, company_a):
    response = upload(api, csv_bytes([row(n) for n in range(1, 4)]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["running"], body["file_name"]) == ("uploaded", True, "s.csv")
    assert SupplierImport.objects.get().channel == Channel.API

    run_worker()  # checks it, then starts processing, which runs next
    run_worker()
    body = poll(api, body["id"])
    assert (body["status"], body["running"], body["progress"]) == ("done", False, 1.0)
    assert body["preview"]["to_create"] == 3
    assert body["result"]["created"] == 3
    assert body["errors_url"] is None
    assert Supplier.objects.for_company(company_a).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_only_checks_and_process_writes_it(api, company_a):
    body = upload(api, csv_bytes([row(1), row(2, tax_id="123")]), dry_run="true").json()
    run_worker()
    body = poll(api, body["id"])
    assert body["status"] == "validated"
    assert (body["preview"]["to_create"], body["preview"]["with_errors"]) == (1, 1)
    assert not Supplier.objects.exists()

    errors = api.get(f"/imports/{body['id']}/errors")
    assert errors.status_code == 200
    assert errors["Content-Type"] == "text/csv; charset=utf-8"
    assert b"123" in b"".join(errors.streaming_content)
    assert body["errors_url"] == f"/api/v1/imports/{body['id']}/errors"

    assert_problem(api.post(f"/imports/{body['id']}/process", {}), 409)  # rows with errors
    response = api.post(f"/imports/{body['id']}/process", {"valid_only": True})
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "processing"
    run_worker()
    assert poll(api, body["id"])["result"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "invited": 0,
        "not_invited": {},
        "failed": 1,
    }


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_errors_waits_for_a_decision_unless_valid_only(api, company_a):
    content = csv_bytes([row(1), row(2, tax_id="123")])
    waiting = upload(api, content).json()
    valid_only = upload(api, content, valid_only="true").json()
    run_worker()
    run_worker()
    assert poll(api, waiting["id"])["status"] == "validated"
    assert poll(api, valid_only["id"])["status"] == "done"


def test_a_file_that_is_not_a_supplier_file_is_stored_as_rejected(api):
    response = upload(api, b"just,some\r\nother,file\r\n")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "rejected"
    assert response.json()["message"]


def test_an_empty_file_is_a_field_error(api):
    assert_problem(upload(api, b""), 422, "file")


def test_an_upload_without_a_file_is_a_field_error(api):
    assert_problem(api.post("/imports", data={"dry_run": "true"}), 422, "file")


def test_an_import_without_errors_has_no_error_file(api, company_a):
    supplier_import = SupplierImportFactory(buyer=company_a, rows_with_errors=0)
    assert_problem(api.get(f"/imports/{supplier_import.id}/errors"), 404)


def test_imports_are_listed_newest_first(api, company_a, company_b):
    older, newer = SupplierImportFactory(buyer=company_a), SupplierImportFactory(buyer=company_a)
    SupplierImportFactory(buyer=company_b)
    response = api.get("/imports")
    assert [item["id"] for item in response.json()["items"]] == [str(newer.id), str(older.id)]


def test_processing_an_unchecked_file_is_a_conflict(api, company_a):
    supplier_import = SupplierImportFactory(buyer=company_a, status=Status.VALIDATING)
    assert_problem(api.post(f"/imports/{supplier_import.id}/process", {}), 409)
