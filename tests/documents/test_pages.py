from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from suppliernet.audit.models import Channel
from suppliernet.documents.ingestion import ingest_documents
from suppliernet.documents.models import DocumentUpload, PendingFile, ReceivedDocument, UploadStatus
from suppliernet.network.models import Supplier
from tests.documents import samples
from tests.documents.factories import DocumentUploadFactory
from tests.factories import SupplierFactory

LIST = reverse("document_list")
UPLOAD = reverse("document_upload")


def xml(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def upload(client, *files):
    return client.post(UPLOAD, {"files": list(files)}, follow=True)


def test_admin_uploads_and_sees_each_files_result(alice_client, company_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ad0800197268.xml", samples.dian_attached_document())
        archive.writestr("ad0800197268.pdf", b"%PDF-1.4")
    response = upload(
        alice_client,
        SimpleUploadedFile("correo.zip", buffer.getvalue()),
        xml("ajena.xml", samples.dian_invoice(number="FE-2", receiver=samples.SUPPLIER_CO_2)),
    )

    upload_row = DocumentUpload.objects.for_company(company_a).get()
    assert response.redirect_chain == [
        (reverse("document_upload_detail", args=[upload_row.id]), 302)
    ]
    html = response.content.decode()
    assert "1 accepted · 0 duplicates · 1 rejected · 1 skipped · 1 new supplier" in html
    assert "correo.zip/ad0800197268.xml" in html and "Invoice SETP990000002 of 2026-03-14" in html
    assert (
        "Addressed to CO 860.069.628-2, not to Almacenes Andinos S.A.S. (CO 900.123.456-8)." in html
    )
    supplier = Supplier.objects.for_company(company_a).get()
    assert reverse("supplier_detail", args=[supplier.id]) in html
    assert (
        upload_row.status == UploadStatus.DONE and upload_row.uploaded_by.email == "alice@a.example"
    )


def test_the_list_shows_received_documents_and_recent_uploads_to_members(bob_client, company_a):
    ingest_documents(
        buyer=company_a, files=[("f.xml", samples.dian_invoice())], by=None, channel=Channel.API
    )
    DocumentUploadFactory(buyer=company_a, file_names="marzo.zip", accepted=3)
    html = bob_client.get(LIST).content.decode()
    assert "SETP990000002" in html and "Transportes del Norte S.A.S." in html
    assert "1.190.000,00 COP" in html or "1,190,000.00 COP" in html
    assert "marzo.zip" in html and "3 accepted" in html
    assert UPLOAD not in html  # no upload form for members


def test_members_cannot_upload(bob_client, company_a):
    assert bob_client.get(UPLOAD).status_code == 403
    response = bob_client.post(UPLOAD, {"files": [xml("f.xml", samples.dian_invoice())]})
    assert response.status_code == 403
    assert not ReceivedDocument.objects.exists()


def test_an_upload_without_files_says_what_to_do(alice_client):
    response = alice_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert "Choose one or more .xml or .zip files." in response.content.decode()


def test_an_upload_over_the_limit_is_refused_before_reading(alice_client, settings):
    settings.DOCUMENTS_MAX_ZIP_BYTES = 1000
    response = alice_client.post(UPLOAD, {"files": [xml("f.xml", samples.dian_invoice())]})
    assert response.status_code == 400
    assert "at most 1000" in response.content.decode()
    assert not DocumentUpload.objects.exists()


def test_another_companys_upload_is_404(charlie_client, company_a):
    other = DocumentUploadFactory(buyer=company_a)
    assert charlie_client.get(reverse("document_upload_detail", args=[other.id])).status_code == 404


def test_the_supplier_filter_of_the_list_ignores_other_companies_suppliers(
    alice_client, company_a, company_b
):
    theirs = SupplierFactory(buyer=company_b)
    response = alice_client.get(LIST, {"supplier": str(theirs.id)})
    assert response.status_code == 200 and response.context["supplier"] is None
    assert alice_client.get(LIST, {"supplier": "not-a-uuid"}).status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_a_large_upload_is_read_by_the_worker(alice_client, company_a, settings):
    settings.DOCUMENTS_INLINE_MAX_BYTES = 100
    response = upload(alice_client, xml("factura.xml", samples.dian_invoice()))
    assert "These files are being read in the background" in response.content.decode()
    pending = DocumentUpload.objects.get()
    assert pending.status == UploadStatus.PENDING and PendingFile.objects.count() == 1
    assert not ReceivedDocument.objects.exists()

    call_command("db_worker", batch=True, interval=0, verbosity=0)

    pending.refresh_from_db()
    assert (pending.status, pending.accepted, pending.new_suppliers) == (UploadStatus.DONE, 1, 1)
    assert not PendingFile.objects.exists()
    assert ReceivedDocument.objects.get().uploaded_by.email == "alice@a.example"
    html = alice_client.get(reverse("document_upload_detail", args=[pending.id])).content.decode()
    assert "1 accepted" in html and "factura.xml" in html


def test_command_line_prints_results_and_fails_when_a_file_is_rejected(company_a, tmp_path, capsys):
    folder = tmp_path / "recibidos"
    folder.mkdir()
    (folder / "a.xml").write_bytes(samples.dian_invoice())
    (folder / "b.xml").write_bytes(samples.dian_attached_document())
    (folder / "notes.txt").write_text("not read")
    wrong = tmp_path / "wrong.xml"
    wrong.write_bytes(samples.cfdi())

    with pytest.raises(CommandError) as error:
        call_command("ingest_documents", str(folder), str(wrong), company="CO:900.123.456-8")

    assert (error.value.returncode, str(error.value)) == (1, "1 rejected.")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"accepted   {folder / 'a.xml'}  Invoice SETP990000002")
    assert lines[1].startswith(f"duplicate  {folder / 'b.xml'}")
    assert lines[2].startswith(f"rejected   {wrong}  Invoice A-1024 of 2026-01-28")
    assert lines[3] == "1 accepted, 1 duplicate, 1 rejected, 0 skipped; new suppliers: 1"
    assert ReceivedDocument.objects.get().channel == "system"


def test_command_line_succeeds_when_nothing_is_rejected(company_a, tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(samples.dian_invoice())
    out = io.StringIO()
    call_command("ingest_documents", str(path), company="CO:9001234568", stdout=out)
    assert "1 accepted" in out.getvalue()
