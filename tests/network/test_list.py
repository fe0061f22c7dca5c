from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, SupplierFactory, SupplierGroupFactory

LIST = reverse("supplier_list")


def names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


@pytest.fixture
def network(company_a):
    logistics = SupplierGroupFactory(buyer=company_a, name="Logística")
    registered = CompanyFactory(tax_id="8600069628", registered_at="2026-01-01T00:00Z")
    return {
        "acme": SupplierFactory(
            buyer=company_a,
            name="Transportes Bogotá S.A.S.",
            city="Bogotá",
            company=CompanyFactory(tax_id="8001972684", legal_name="x"),
            groups=[logistics],
        ),
        "registered": SupplierFactory(
            buyer=company_a, name="Papelería Ñandú", city="Medellín", company=registered
        ),
        "other": SupplierFactory(buyer=company_a, name="Café del Valle", city="Cali"),
    }


def test_list_shows_registered_check_and_invite_button(alice_client, network):
    response = alice_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="registered"') == 1
    assert html.count("button small invite") == 2
    assert "3 suppliers" in html and "1 registered" in html


def test_member_sees_status_but_no_invite_button(bob_client, network):
    html = bob_client.get(LIST).content.decode()
    assert 'class="registered"' in html
    assert "button small invite" not in html
    assert reverse("supplier_add") not in html


@pytest.mark.parametrize(
    "typed", ["800.197.268-4", "800197268-4", "8001972684", "800197268", "800.19"]
)
def test_filter_by_tax_id_in_any_formatting(alice_client, network, typed):
    assert names(alice_client.get(LIST, {"tax_id": typed})) == ["Transportes Bogotá S.A.S."]


def test_filter_by_name_ignores_case_and_accents(alice_client, network):
    assert names(alice_client.get(LIST, {"q": "BOGOTA"})) == ["Transportes Bogotá S.A.S."]
    assert names(alice_client.get(LIST, {"q": "nandu"})) == ["Papelería Ñandú"]


def test_filter_by_city(alice_client, network):
    assert names(alice_client.get(LIST, {"city": "medellin"})) == ["Papelería Ñandú"]


def test_filter_by_status(alice_client, network):
    assert names(alice_client.get(LIST, {"status": "registered"})) == ["Papelería Ñandú"]
    assert sorted(names(alice_client.get(LIST, {"status": "unregistered"}))) == [
        "Café del Valle",
        "Transportes Bogotá S.A.S.",
    ]


def test_filter_by_group(alice_client, network, company_a):
    group = network["acme"].groups.get()
    assert names(alice_client.get(LIST, {"group": str(group.id)})) == ["Transportes Bogotá S.A.S."]


def test_filter_by_another_companys_group_is_rejected(alice_client, network, company_b):
    foreign = SupplierGroupFactory(buyer=company_b)
    response = alice_client.get(LIST, {"group": str(foreign.id)})
    assert response.status_code == 200
    assert names(response) == []
    assert response.context["filters"].errors["group"]


def test_sorting(alice_client, network):
    assert names(alice_client.get(LIST, {"sort": "-name"}))[0] == "Transportes Bogotá S.A.S."
    assert names(alice_client.get(LIST, {"sort": "city"}))[0] == "Transportes Bogotá S.A.S."


def test_pagination_keeps_filters_in_links(alice_client, company_a, settings):
    settings.SUPPLIERS_PER_PAGE = 5
    for n in range(12):
        SupplierFactory(buyer=company_a, name=f"Proveedor {n:02d}", city="Cali")
    first = alice_client.get(LIST, {"city": "cali"})
    assert names(first) == [f"Proveedor {n:02d}" for n in range(5)]
    assert "?city=cali&amp;page=2" in first.content.decode()
    third = alice_client.get(LIST, {"city": "cali", "page": 3})
    assert names(third) == ["Proveedor 10", "Proveedor 11"]
    assert "12 suppliers" in third.content.decode()


def test_list_never_shows_another_companys_suppliers(charlie_client, network):
    response = charlie_client.get(LIST)
    assert names(response) == []
    assert "0 suppliers" in response.content.decode()


def test_spanish_labels(alice_client, network):
    alice_client.post(reverse("switch_language"), {"language": "es", "next": LIST})
    html = alice_client.get(LIST).content.decode()
    for label in ("Proveedores", "Invitar", "Agregar Proveedor", "Registrado"):
        assert label in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
