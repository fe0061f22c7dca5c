from __future__ import annotations

from django.urls import reverse

from suppliernet.audit.models import AuditEntry
from suppliernet.companies.models import Company
from suppliernet.network.models import Supplier
from tests.factories import SupplierFactory

ADD = reverse("supplier_add")


def form(**overrides) -> dict:
    return {
        "country": "CO",
        "tax_id": "800.197.268-4",
        "name": "Transportes del Norte S.A.S.",
        "city": "Barranquilla",
        "emails": "facturas@norte.example; compras@norte.example",
        "groups": "Logística, Críticos",
        **overrides,
    }


def test_admin_adds_a_supplier(alice_client, company_a):
    response = alice_client.post(ADD, form())
    supplier = Supplier.objects.get(buyer=company_a)
    assert response.status_code == 302
    # Add Supplier → Send: the invitation is offered next (tests/invitations).
    assert response["Location"] == reverse("supplier_invite", args=[supplier.id]) + "?added=1"
    assert (supplier.tax_id, supplier.email, supplier.other_emails) == (
        "8001972684",
        "facturas@norte.example",
        ["compras@norte.example"],
    )
    assert sorted(g.name for g in supplier.groups.all()) == ["Críticos", "Logística"]
    assert supplier.company.legal_name == "Transportes del Norte S.A.S."
    assert AuditEntry.objects.filter(company=company_a, action="supplier.added").count() == 1


def test_nit_without_check_digit_is_completed_and_said(alice_client, company_a):
    response = alice_client.post(ADD, form(tax_id="800197268"), follow=True)
    assert Supplier.objects.get(buyer=company_a).tax_id == "8001972684"
    assert "Check digit 4" in response.content.decode()


def test_existing_tax_id_links_to_it_and_saves_nothing(alice_client, company_a):
    existing = SupplierFactory(buyer=company_a, company__tax_id="8001972684")
    response = alice_client.post(ADD, form(tax_id="800197268-4", name="Otro nombre"))
    assert response.status_code == 409
    assert existing.get_absolute_url() in response.content.decode()
    assert Supplier.objects.filter(buyer=company_a).count() == 1


def test_wrong_check_digit_names_the_format(alice_client, company_a):
    response = alice_client.post(ADD, form(tax_id="800.197.268-5"))
    assert response.status_code == 200
    errors = response.context["form"].errors["tax_id"]
    assert "NIT" in errors[0]
    assert not Supplier.objects.exists()
    assert not Company.objects.filter(tax_id__startswith="800197268").exists()


def test_bad_input_gets_field_messages_and_nothing_is_saved(alice_client, company_a):
    response = alice_client.post(
        ADD, form(name="", city="x" * 101, emails="ok@a.example, x@@y.com, a@b")
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "name" in errors and "city" in errors
    assert any("x@@y.com" in e for e in errors["emails"])
    assert any("a@b" in e for e in errors["emails"])
    assert not Supplier.objects.exists()


def test_member_may_not_add(bob_client, company_a):
    assert bob_client.get(ADD).status_code == 403
    assert bob_client.post(ADD, form()).status_code == 403
    assert not Supplier.objects.exists()


def test_admin_edits_a_supplier(alice_client, company_a):
    supplier = SupplierFactory(buyer=company_a, name="Viejo")
    url = reverse("supplier_edit", args=[supplier.id])
    response = alice_client.post(url, {"name": "Nuevo Nombre", "city": "Cúcuta", "emails": ""})
    supplier.refresh_from_db()
    assert response.status_code == 302
    assert (supplier.name, supplier.city, supplier.name_folded) == (
        "Nuevo Nombre",
        "Cúcuta",
        "nuevo nombre",
    )


def test_member_may_not_edit(bob_client, company_a):
    supplier = SupplierFactory(buyer=company_a, name="Viejo")
    url = reverse("supplier_edit", args=[supplier.id])
    assert bob_client.post(url, {"name": "Nuevo"}).status_code == 403
    supplier.refresh_from_db()
    assert supplier.name == "Viejo"
