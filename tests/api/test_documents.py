from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from suppliernet.documents.models import DocumentUpload
from suppliernet.network.models import Source, Supplier
from tests.api.conftest import assert_problem
from tests.documents import samples


def xml(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def test_an_upload_is_read_at_once_with_a_result_per_file(api, company_a):
    response = api.post(
        "/documents",
        data={
            "files": [
                xml("fe-1.xml", samples.dian_invoice()),
                xml(
                    "ajena.xml", samples.dian_invoice(number="FE-2", receiver=samples.SUPPLIER_CO_2)
                ),
            ]
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["accepted"], body["rejected"], body["new_suppliers"]) == (
        "done",
        1,
        1,
        1,
    )
    supplier = Supplier.objects.for_company(company_a).get()
    assert supplier.source == Source.DOCUMENT
    assert [r["outcome"] for r in body["results"]] == ["accepted", "rejected"]
    assert body["results"][0]["supplier_id"] == str(supplier.id)
    assert api.get(f"/documents/uploads/{body['id']}").json() == body


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_read_by_the_worker(api, company_a, settings):
    settings.DOCUMENTS_INLINE_MAX_BYTES = 10
    response = api.post("/documents", data={"files": [xml("fe-1.xml", samples.dian_invoice())]})
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert api.get(f"/documents/uploads/{response.json()['id']}").json()["accepted"] == 1


def test_an_upload_needs_files(api):
    assert_problem(api.post("/documents", data={}), 422, "files")
    assert not DocumentUpload.objects.exists()


def test_uploads_over_the_limit_are_refused(api, settings):
    settings.DOCUMENTS_MAX_ZIP_BYTES = 10
    response = api.post("/documents", data={"files": [xml("fe-1.xml", samples.dian_invoice())]})
    assert_problem(response, 422, "files")
