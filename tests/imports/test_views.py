from __future__ import annotations

import codecs
import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from suppliernet.imports.models import Status, SupplierImport
from suppliernet.imports.processing import start_processing, write_chunk
from suppliernet.imports.tasks import process_import, validate_import
from tests.imports.helpers import HEADER, csv_bytes, imported, row, validated

pytestmark = pytest.mark.django_db


def upload_file(client, content: bytes, name: str = "suppliers.csv"):
    return client.post(reverse("import_new"), {"file": SimpleUploadedFile(name, content)})


def booked(task) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path).count()


def test_bulk_add_page_offers_both_templates_and_the_upload_form(alice_client):
    response = alice_client.get(reverse("import_new"))
    assert response.status_code == 200
    assert reverse("import_template_csv") in response.text
    assert reverse("import_template_xlsx") in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_suppliers_list_links_to_bulk_add_and_the_menu_to_imports(alice_client):
    response = alice_client.get(reverse("supplier_list"))
    assert reverse("import_new") in response.text and reverse("import_list") in response.text


def test_templates_download_in_the_users_language(alice_client, alice):
    alice.language = "es"
    alice.save()
    response = alice_client.get(reverse("import_template_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="plantilla-proveedores.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)
    assert "Identificación tributaria*" in response.content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(alice_client.get(reverse("import_template_xlsx")).content))
    assert workbook.active["A1"].value == "Identificación tributaria*"


def test_upload_stores_the_file_and_books_the_check(
    alice_client, company_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_file(alice_client, csv_bytes([row(1)]))

    supplier_import = SupplierImport.objects.for_company(company_a).get()
    assert response.status_code == 302 and response.url == supplier_import.get_absolute_url()
    assert supplier_import.status == Status.UPLOADED
    assert supplier_import.file.name.startswith(f"imports/{company_a.id}/")
    assert supplier_import.file.read() == csv_bytes([row(1)])
    assert booked(validate_import) == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("suppliers.csv", b"", "The file is empty"),
        ("suppliers.pdf", b"%PDF-1.4", "is not a supported file type"),
        ("suppliers.csv", csv_bytes([row(1)], HEADER[:2]), "Missing mandatory column(s)"),
    ],
)
def test_obviously_bad_files_are_rejected_at_once(alice_client, name, content, expected):
    response = upload_file(alice_client, content, name)
    assert response.status_code == 400
    assert expected in response.text
    assert booked(validate_import) == 0


def test_a_file_over_the_size_limit_is_rejected_without_storing_it(alice_client, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload_file(alice_client, csv_bytes([row(n) for n in range(5)]))
    assert response.status_code == 400
    assert "at most 100\xa0bytes are accepted" in response.text
    assert not SupplierImport.objects.exists()


def test_the_page_refreshes_itself_while_the_file_is_checked(alice_client):
    upload_file(alice_client, csv_bytes([row(1)]))
    supplier_import = SupplierImport.objects.get()
    response = alice_client.get(supplier_import.get_absolute_url())
    assert '<meta http-equiv="refresh" content="2">' in response.text
    assert "<progress" in response.text


def test_preview_shows_counts_detected_format_and_rows_with_errors(alice_client, company_a, alice):
    supplier_import = validated(
        company_a, alice, csv_bytes([row(1), row(2, email="a@b")], delimiter=";")
    )
    response = alice_client.get(supplier_import.get_absolute_url())
    text = response.text
    assert "refresh" not in text
    assert "UTF-8, semicolon-separated, 2 rows" in text
    assert "1 to create · 0 to update · 0 unchanged · 1 with errors" in text
    assert "“a@b” is not a valid e-mail address." in text  # the errors tab comes first
    assert "Process the 1 valid row" in text and "Fix the file first" in text
    created = alice_client.get(supplier_import.get_absolute_url() + "?show=create").text
    assert "Proveedor 1 S.A.S." in created


def test_process_file_books_the_task_and_shows_progress(
    alice_client, company_a, alice, django_capture_on_commit_callbacks
):
    supplier_import = validated(company_a, alice, csv_bytes([row(1), row(2)]))
    url = reverse("import_process", args=[supplier_import.id])

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url)

    assert response.status_code == 302
    assert booked(process_import) == 1
    page = alice_client.get(supplier_import.get_absolute_url()).text
    assert '<progress value="0" max="2"' in page and 'content="2"' in page

    process_import.call(str(supplier_import.id))
    page = alice_client.get(supplier_import.get_absolute_url()).text
    assert "2 created · 0 updated · 0 unchanged · 0 invited · 0 not invited · 0 failed" in page
    assert "?show=created" in page


def test_an_import_whose_worker_stopped_outright_can_be_resumed_by_an_admin(
    alice_client, bob_client, company_a, alice, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_CHUNK_ROWS = 2
    supplier_import = validated(company_a, alice, csv_bytes([row(n) for n in range(1, 6)]))
    start_processing(supplier_import=supplier_import, by=alice, valid_only=False, enqueue=False)
    write_chunk(supplier_import=supplier_import)  # then the worker was killed
    url = reverse("import_process", args=[supplier_import.id])

    fresh = alice_client.get(supplier_import.get_absolute_url()).text
    assert "Resume processing" not in fresh
    assert "not waiting to be processed" in alice_client.post(url, follow=True).text

    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_STALLED_AFTER + 1)
    SupplierImport.objects.filter(pk=supplier_import.pk).update(updated_at=long_ago)
    assert "Resume processing" not in bob_client.get(supplier_import.get_absolute_url()).text
    page = alice_client.get(supplier_import.get_absolute_url()).text
    assert "seems to have stopped" in page and "Resume processing" in page

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url)
    assert booked(process_import) == 1
    process_import.call(str(supplier_import.id))

    supplier_import.refresh_from_db()
    assert (supplier_import.status, supplier_import.created, supplier_import.rows_done) == (
        Status.DONE,
        5,
        5,
    )


def test_processing_a_file_with_errors_needs_the_valid_rows_choice(alice_client, company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([row(1), row(2, name="")]))
    response = alice_client.post(reverse("import_process", args=[supplier_import.id]), follow=True)
    assert "Some rows have errors" in response.text
    supplier_import.refresh_from_db()
    assert supplier_import.status == Status.VALIDATED

    alice_client.post(reverse("import_process", args=[supplier_import.id]), {"valid_only": "1"})
    supplier_import.refresh_from_db()
    assert supplier_import.status == Status.PROCESSING and supplier_import.process_valid_only


def test_error_file_holds_the_original_cells_an_error_column_and_no_formulas(
    alice_client, company_a, alice
):
    bad = row(2, name='=HYPERLINK("http://evil")', notify="2", city="Bogotá")
    supplier_import = validated(company_a, alice, csv_bytes([row(1), bad]))

    response = alice_client.get(reverse("import_error_file", args=[supplier_import.id]))

    assert response["Content-Disposition"] == 'attachment; filename="suppliers-errors.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    header, line = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == [*HEADER, "Error"]
    assert line[:10] == [
        '\'=HYPERLINK("http://evil")' if cell.startswith("=") else cell for cell in bad[:10]
    ]
    assert line[10] == "2"
    assert line[11].startswith("Notify*: Notify must be 1")


def test_history_lists_every_upload_with_its_hash(bob_client, company_a, alice):
    supplier_import = imported(company_a, alice, [row(1)])
    response = bob_client.get(reverse("import_list"))
    assert response.status_code == 200
    assert supplier_import.sha256[:12] in response.text
    assert "1 created · 0 updated · 0 invited" in response.text


def test_members_see_imports_but_may_not_upload_or_process(bob_client, company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([row(1)]))
    assert bob_client.get(supplier_import.get_absolute_url()).status_code == 200
    assert "Process File" not in bob_client.get(supplier_import.get_absolute_url()).text
    assert bob_client.get(reverse("import_new")).status_code == 403
    assert upload_file(bob_client, csv_bytes([row(2)])).status_code == 403
    assert bob_client.post(reverse("import_process", args=[supplier_import.id])).status_code == 403
    supplier_import.refresh_from_db()
    assert supplier_import.status == Status.VALIDATED


def test_another_companys_import_is_not_found(charlie_client, company_a, alice):
    supplier_import = validated(company_a, alice, csv_bytes([row(1, notify="x")]))
    for name in ("import_detail", "import_process", "import_error_file"):
        url = reverse(name, args=[supplier_import.id])
        assert charlie_client.get(url).status_code in (404, 405)
        assert charlie_client.post(url).status_code == 404
    assert supplier_import.file_name not in charlie_client.get(reverse("import_list")).text
