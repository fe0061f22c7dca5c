from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from suppliernet.api.models import IdempotentRequest
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier
from tests.api.conftest import ApiClient, assert_problem
from tests.factories import SupplierFactory

NEW_SUPPLIER = {"tax_id": "800197268", "name": "Transportes del Norte S.A.S."}


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_a_repeated_post_returns_the_first_answer_and_does_nothing_twice(api):
    headers = key()
    first = api.post("/suppliers", NEW_SUPPLIER, headers=headers)
    again = api.post("/suppliers", {**NEW_SUPPLIER}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Supplier.objects.count() == 1


def test_the_same_data_in_another_key_order_or_spacing_is_the_same_request(api, admin_token):
    headers = key()
    api.post("/suppliers", NEW_SUPPLIER, headers=headers)
    reordered = '{"name":"Transportes del Norte S.A.S.",   "tax_id":"800197268"}'
    again = api.post("/suppliers", data=reordered, content_type="application/json", headers=headers)
    assert again.status_code == 201
    assert Supplier.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api):
    headers = key()
    api.post("/suppliers", NEW_SUPPLIER, headers=headers)
    other = api.post("/suppliers", {**NEW_SUPPLIER, "name": "Otro"}, headers=headers)
    assert_problem(other, 422, "Idempotency-Key")
    elsewhere = api.post("/invitations", {"filter": {}}, headers=headers)
    assert_problem(elsewhere, 422, "Idempotency-Key")
    assert Supplier.objects.get().name == NEW_SUPPLIER["name"]


def test_a_refused_request_keeps_no_answer_so_it_can_be_corrected(api):
    headers = key()
    assert_problem(api.post("/suppliers", {**NEW_SUPPLIER, "tax_id": "1"}, headers=headers), 422)
    assert api.post("/suppliers", NEW_SUPPLIER, headers=headers).status_code == 201
    assert IdempotentRequest.objects.count() == 1


def test_keys_belong_to_their_token(api, company_a, alice):
    from suppliernet.api.tokens import create_token

    other = ApiClient(create_token(company=company_a, name="2", role="admin", by=alice).secret)
    headers = key()
    api.post("/suppliers", NEW_SUPPLIER, headers=headers)
    response = other.post("/suppliers", NEW_SUPPLIER, headers=headers)
    assert_problem(response, 409)  # ran, and found the supplier already there


def test_repeated_invitations_and_resends_happen_once(api, company_a):
    supplier = SupplierFactory(buyer=company_a, email="facturas@norte.example")
    headers = key()
    for _ in range(3):
        response = api.post(f"/suppliers/{supplier.id}/invitations", {}, headers=headers)
        assert response.status_code == 201
    invitation = Invitation.objects.get()
    headers = key()
    for _ in range(3):
        assert api.post(f"/invitations/{invitation.id}/resend", headers=headers).status_code == 200
    invitation.refresh_from_db()
    assert invitation.resent_count == 1


@pytest.mark.parametrize("bad", ["", "with space", "x" * 256, "ñandú"])
def test_a_malformed_key_is_a_field_error(api, bad):
    response = api.post(
        "/suppliers", NEW_SUPPLIER, headers={"Idempotency-Key": bad.encode().decode("latin-1")}
    )
    assert_problem(response, 422, "Idempotency-Key")
    assert not Supplier.objects.exists()


def test_get_ignores_the_header(api):
    assert api.get("/suppliers", headers=key()).status_code == 200


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_once(admin_token):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent transactions")
    headers = {"Authorization": f"Bearer {admin_token.secret}", **key()}
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def send() -> None:
        client = Client()
        barrier.wait()
        response = client.post(
            "/api/v1/suppliers", NEW_SUPPLIER, content_type="application/json", headers=headers
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 4
    assert Supplier.objects.count() == 1
