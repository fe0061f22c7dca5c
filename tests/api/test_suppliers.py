from __future__ import annotations

import pytest

from suppliernet.audit.models import AuditEntry, Channel
from suppliernet.network.models import Supplier
from tests.api.conftest import assert_problem
from tests.factories import CompanyFactory, SupplierFactory, SupplierGroupFactory


@pytest.fixture
def norte(company_a):
    return SupplierFactory(
        buyer=company_a,
        name="Transportes del Norte S.A.S.",
        city="Medellín",
        company__tax_id="8001972684",
        email="facturas@norte.example",
    )


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_list_shows_the_companys_suppliers_with_their_details(api, norte, company_b):
    SupplierFactory(buyer=company_b, name="Ajeno Ltda.")
    response = api.get("/suppliers")
    assert names(response) == ["Transportes del Norte S.A.S."]
    item = response.json()["items"][0]
    assert item["id"] == str(norte.id)
    assert item["tax_id"] == "8001972684"
    assert item["tax_id_display"] == "800.197.268-4"
    assert item["emails"] == ["facturas@norte.example"]
    assert item["registered"] is False
    assert response.json()["next_cursor"] is None


def test_a_tax_id_in_any_format_finds_its_supplier_exactly(api, norte, company_a):
    SupplierFactory(buyer=company_a, name="Otro", company__tax_id="8001972692")
    for typed in ("800.197.268-4", "800197268", "8001972684", " 800 197 268 4 "):
        assert names(api.get("/suppliers", {"tax_id": typed})) == [norte.name], typed


def test_a_partial_tax_id_matches_by_its_first_digits(api, norte, company_a):
    SupplierFactory(buyer=company_a, name="Otro", company__tax_id="9001972680")
    assert names(api.get("/suppliers", {"tax_id": "8001"})) == [norte.name]


def test_list_filters_by_name_city_status_and_group(api, company_a, norte):
    logistics = SupplierGroupFactory(buyer=company_a, name="Logística")
    registered = SupplierFactory(
        buyer=company_a,
        name="Papelería Ñandú",
        city="Bogotá",
        company=CompanyFactory(registered_at="2026-01-01T00:00Z"),
        groups=[logistics],
    )
    assert names(api.get("/suppliers", {"q": "nandu"})) == [registered.name]
    assert names(api.get("/suppliers", {"city": "MEDELLIN"})) == [norte.name]
    assert names(api.get("/suppliers", {"status": "registered"})) == [registered.name]
    assert names(api.get("/suppliers", {"status": "unregistered"})) == [norte.name]
    assert names(api.get("/suppliers", {"group": "logística"})) == [registered.name]
    assert names(api.get("/suppliers", {"group": "No such group"})) == []


def test_an_unknown_status_is_a_field_error(api):
    assert_problem(api.get("/suppliers", {"status": "maybe"}), 422, "status")


def test_cursor_pages_neither_repeat_nor_skip_rows_added_meanwhile(api, company_a):
    for n in range(5):
        SupplierFactory(buyer=company_a, name=f"Proveedor {n * 2}")
    first = api.get("/suppliers", {"limit": 2}).json()
    assert [s["name"] for s in first["items"]] == ["Proveedor 0", "Proveedor 2"]
    # Rows before and after the cursor appear meanwhile: pages neither shift nor repeat.
    SupplierFactory(buyer=company_a, name="Proveedor 1")
    SupplierFactory(buyer=company_a, name="Proveedor 5")
    seen, cursor = [s["name"] for s in first["items"]], first["next_cursor"]
    while cursor:
        page = api.get("/suppliers", {"limit": 2, "cursor": cursor}).json()
        seen += [s["name"] for s in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [f"Proveedor {n}" for n in (0, 2, 4, 5, 6, 8)]


def test_same_names_are_paged_by_id_without_losing_any(api, company_a):
    ids = {str(SupplierFactory(buyer=company_a, name="Igual S.A.").id) for _ in range(5)}
    seen, cursor = [], None
    while True:
        page = api.get("/suppliers", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [s["id"] for s in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5


def test_sort_by_creation_pages_oldest_first(api, company_a):
    made = [SupplierFactory(buyer=company_a, name=name) for name in ("C", "A", "B")]
    first = api.get("/suppliers", {"sort": "created", "limit": 2}).json()
    second = api.get(
        "/suppliers", {"sort": "created", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [s["id"] for s in first["items"] + second["items"]] == [str(s.id) for s in made]


def test_a_cursor_from_another_sort_or_garbage_is_a_field_error(api, company_a):
    for n in range(3):
        SupplierFactory(buyer=company_a, name=f"P{n}")
    cursor = api.get("/suppliers", {"limit": 1}).json()["next_cursor"]
    assert_problem(api.get("/suppliers", {"sort": "created", "cursor": cursor}), 422, "cursor")
    for garbage in ("x", "!!!", "W10", "eyJhIjogMX0", "A" * 400):
        assert_problem(api.get("/suppliers", {"cursor": garbage}), 422, "cursor")


def test_limit_is_bounded(api):
    assert_problem(api.get("/suppliers", {"limit": 0}), 422, "limit")
    assert_problem(api.get("/suppliers", {"limit": 10**30}), 422, "limit")


def test_get_one_supplier(api, norte):
    response = api.get(f"/suppliers/{norte.id}")
    assert response.status_code == 200
    assert response.json()["name"] == norte.name


def test_add_a_supplier_normalizes_its_tax_id_and_audits_the_api(api, company_a, alice):
    response = api.post(
        "/suppliers",
        {
            "tax_id": "800.197.268",
            "name": "Transportes del Norte S.A.S.",
            "city": "Medellín",
            "emails": ["facturas@norte.example", "pagos@norte.example"],
            "groups": ["Logística", "Críticos"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["country"], body["tax_id"]) == ("CO", "8001972684")  # the buyer's country
    assert body["emails"] == ["facturas@norte.example", "pagos@norte.example"]
    assert body["groups"] == ["Críticos", "Logística"]
    supplier = Supplier.objects.get(pk=body["id"])
    assert supplier.buyer == company_a
    entry = AuditEntry.objects.get(action="supplier.added")
    assert (entry.channel, entry.actor) == (Channel.API, alice)


def test_add_a_supplier_of_another_country(api):
    response = api.post("/suppliers", {"country": "CL", "tax_id": "76.086.428-5", "name": "Sur"})
    assert response.status_code == 201, response.content
    assert response.json()["tax_id_display"] == "76.086.428-5"


def test_adding_a_supplier_twice_is_a_conflict_naming_the_existing_one(api, norte):
    response = api.post("/suppliers", {"tax_id": "800197268-4", "name": "Otra vez"})
    body = assert_problem(response, 409, "tax_id")
    assert body["supplier_id"] == str(norte.id)


def test_invalid_values_are_field_errors_with_the_pages_messages(api):
    response = api.post(
        "/suppliers",
        {"tax_id": "800.197.268-5", "name": "X", "emails": ["not-an-address", "ok@x.example"]},
    )
    body = assert_problem(response, 422)
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert "check digit" in fields["tax_id"]
    assert "not-an-address" in fields["emails"]
    assert not Supplier.objects.exists()


def test_group_names_with_separators_are_refused(api):
    response = api.post("/suppliers", {"tax_id": "800197268", "name": "X", "groups": ["A, B"]})
    assert_problem(response, 422, "groups")


def test_patch_changes_only_the_fields_sent(api, norte, company_a):
    norte.groups.set([SupplierGroupFactory(buyer=company_a, name="Logística")])
    response = api.patch(f"/suppliers/{norte.id}", {"city": "Cali", "phone": "602 555 0101"})
    assert response.status_code == 200, response.content
    norte.refresh_from_db()
    assert (norte.city, norte.phone, norte.name) == ("Cali", "602 555 0101", norte.name)
    assert norte.email == "facturas@norte.example"
    assert [g.name for g in norte.groups.all()] == ["Logística"]
    assert AuditEntry.objects.filter(action="supplier.updated", channel=Channel.API).exists()


def test_patch_replaces_the_lists_sent(api, norte):
    response = api.patch(
        f"/suppliers/{norte.id}", {"emails": ["nuevo@norte.example"], "groups": []}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["emails"], response.json()["groups"]) == (["nuevo@norte.example"], [])


def test_patch_refuses_null_the_tax_id_and_empty_names(api, norte):
    assert_problem(api.patch(f"/suppliers/{norte.id}", {"name": None}), 422, "name")
    assert_problem(api.patch(f"/suppliers/{norte.id}", {"name": ""}), 422, "name")
    assert_problem(api.patch(f"/suppliers/{norte.id}", {"tax_id": "1"}), 422, "tax_id")
    norte.refresh_from_db()
    assert norte.name == "Transportes del Norte S.A.S."
