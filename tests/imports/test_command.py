from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from suppliernet.imports.models import Channel, SupplierImport
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier
from tests.imports.helpers import HEADER, csv_bytes, nit, row

pytestmark = pytest.mark.django_db

COMPANY = "CO:900.123.456-8"  # company A


def run(path, *options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_suppliers", str(path), "--company", COMPANY, *options, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def suppliers(company):
    return Supplier.objects.for_company(company)


def test_imports_the_file_and_prints_the_preview_and_the_result(tmp_path, company_a, alice):
    path = tmp_path / "proveedores.csv"
    path.write_bytes(csv_bytes([row(1, notify="1"), row(2)]))

    out, _err = run(path, "--user", "alice@a.example")

    assert "Detected: UTF-8, comma-separated, 2 rows" in out
    assert "Preview: 2 to create, 0 to update, 0 unchanged, 0 with errors" in out
    assert "Result: 2 created, 0 updated, 0 unchanged, 1 invited, 0 not invited, 0 failed" in out
    assert suppliers(company_a).count() == 2
    supplier_import = SupplierImport.objects.get()
    assert (supplier_import.channel, supplier_import.uploaded_by) == (Channel.CLI, alice)
    assert Invitation.objects.get().created_by == alice


def test_dry_run_changes_nothing(tmp_path, company_a):
    path = tmp_path / "proveedores.csv"
    path.write_bytes(csv_bytes([row(1, notify="1")]))
    out, _err = run(path, "--dry-run")
    assert "Dry run: nothing was changed." in out
    assert not suppliers(company_a).exists() and not Invitation.objects.exists()


def test_rows_with_errors_exit_non_zero_and_import_nothing(tmp_path, company_a):
    path = tmp_path / "proveedores.csv"
    path.write_bytes(csv_bytes([row(1), row(2, email="a@b")]))
    with pytest.raises(CommandError) as info:
        run(path)
    assert info.value.returncode == 1
    assert "1 row(s) have errors" in str(info.value)
    assert not suppliers(company_a).exists()


def test_allow_errors_imports_the_valid_rows(tmp_path, company_a):
    path = tmp_path / "proveedores.csv"
    path.write_bytes(csv_bytes([row(1), row(2, email="a@b")]))
    out, err = run(path, "--allow-errors")
    assert "line 3, Email*, “a@b”: “a@b” is not a valid e-mail address." in err
    assert "1 created" in out and "1 failed" in out
    assert suppliers(company_a).count() == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [(csv_bytes([row(1)], HEADER[:3]), "Missing mandatory column(s)"), (b"", "The file is empty")],
)
def test_a_rejected_file_exits_with_2(tmp_path, company_a, content, expected):
    path = tmp_path / "proveedores.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(expected)) as info:
        run(path)
    assert info.value.returncode == 2


def test_unknown_company_or_non_admin_user_is_refused(tmp_path, company_a, bob):
    path = tmp_path / "proveedores.csv"
    path.write_bytes(csv_bytes([row(1)]))
    with pytest.raises(CommandError, match="not an admin"):
        run(path, "--user", "bob@a.example")
    with pytest.raises(CommandError, match=r"No company CO 800\.500\.999-\d is on SupplierNet"):
        call_command("import_suppliers", str(path), "--company", f"CO:{nit(999)}")
