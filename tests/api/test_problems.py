"""Bad input of every kind is a 4xx problem+json, never a 5xx."""

from __future__ import annotations

import json

import pytest

from suppliernet.network.models import Supplier
from tests.api.conftest import assert_problem
from tests.factories import SupplierFactory

VALID = {"tax_id": "800197268", "name": "Transportes del Norte S.A.S."}


@pytest.mark.parametrize(
    "raw",
    [
        "{bad",
        "",
        "[1, 2",
        '{"name": "x",}',
        "\x00",
        "[" * 100_000 + "]" * 100_000,  # deeper than the parser goes
    ],
)
def test_a_body_that_is_not_json_is_400(api, raw):
    response = api.post("/suppliers", data=raw, content_type="application/json")
    if raw == "":
        assert_problem(response, 422)  # no body: the required fields are missing
    else:
        assert "not valid JSON" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize(
    "body, field",
    [
        ([VALID], "body"),
        ("text", "body"),
        (42, "body"),
        ({**VALID, "name": 42}, "name"),
        ({**VALID, "name": ["x"]}, "name"),
        ({**VALID, "emails": "a@b.example"}, "emails"),
        ({**VALID, "emails": [None]}, "emails.0"),
        ({**VALID, "country": "ZZ"}, "country"),
        ({**VALID, "name": "x" * 201}, "name"),
        ({**VALID, "name": "Nul\x00Byte"}, "name"),
        ({**VALID, "name": "Lone \ud800 surrogate"}, "name"),
        ({**VALID, "city": "\udfff"}, "city"),
        ({**VALID, "emails": ["a@b.example"] * 21}, "emails"),
        ({**VALID, "unknown": True}, "unknown"),
        ({**VALID, "\ud800": 1}, "body"),  # not even a field name pydantic can read
        ({"name": "only"}, "tax_id"),
        ({**VALID, "tax_id": 10**400}, "tax_id"),
    ],
)
def test_wrong_types_sizes_and_characters_are_field_errors(api, body, field):
    response = api.post("/suppliers", data=json.dumps(body), content_type="application/json")
    assert_problem(response, 422, field)
    assert not Supplier.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "1e309"},
        {"limit": "-1"},
        {"limit": "NaN"},
        {"limit": str(2**64)},
        {"q": "\x00"},
        {"city": "x" * 101},
        {"sort": "random"},
        {"country": "co"},
    ],
)
def test_bad_query_parameters_are_field_errors(api, params):
    assert_problem(api.get("/suppliers", params), 422)


@pytest.mark.parametrize(
    "text", ["🚚 Transportes", "‮RTL‬", "Ｆｕｌｌ　ｗｉｄｔｈ", "e\u0301", "\u200b", "ß" * 200]
)
def test_odd_but_valid_unicode_is_stored_as_sent(api, text):
    response = api.post("/suppliers", {**VALID, "name": text})
    assert response.status_code == 201, response.content
    assert Supplier.objects.get().name == text


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/suppliers/not-a-uuid"),
        ("post", "/suppliers/invitations"),
        ("post", "/suppliers//invitations"),
        ("get", "/nothing-here"),
        ("get", "/"),
        ("patch", "/imports/123"),
    ],
)
def test_an_unknown_route_or_malformed_id_is_a_404_problem(api, method, path):
    assert_problem(getattr(api, method)(path, None), 404)


def test_an_unknown_object_is_404(api):
    assert_problem(api.get("/suppliers/00000000-0000-0000-0000-000000000000"), 404)


def test_a_multipart_body_without_boundary_is_400_for_an_upload(api):
    response = api.post("/imports", data="{}", content_type="multipart/form-data")
    assert_problem(response, 400)


def test_a_json_body_sent_as_multipart_is_read_as_json(api, company_a):
    supplier = SupplierFactory(buyer=company_a)
    response = api.post(
        f"/suppliers/{supplier.id}/invitations",
        data="{}",
        content_type="multipart/form-data",
        headers={"Idempotency-Key": "k1"},
    )
    assert response.status_code == 201, response.content


def test_a_body_over_the_size_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/suppliers", {**VALID, "description": "x" * 2000})
    assert_problem(response, 413)
