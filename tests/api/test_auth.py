from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from suppliernet.api.models import ApiToken
from suppliernet.api.tokens import revoke_token, token_hash
from tests.api.conftest import ApiClient, assert_problem
from tests.factories import SupplierFactory

WRITES = [
    ("post", "/suppliers", {"tax_id": "800197268", "name": "X"}),
    ("post", "/invitations", {"filter": {}}),
    ("patch", "/suppliers/{supplier}", {"city": "Cali"}),
    ("post", "/suppliers/{supplier}/invitations", {}),
    ("post", "/imports", None),
]


def test_only_a_hash_of_the_token_is_stored(admin_token):
    token = ApiToken.objects.get()
    assert token.token_hash == token_hash(admin_token.secret)
    assert admin_token.secret not in str(ApiToken.objects.values().get())
    assert admin_token.secret.startswith(token.prefix)


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "Bearer snt_" + "x" * 43]
)
def test_a_request_without_a_valid_token_is_401(db, header):
    client = ApiClient(None)
    response = client.get("/suppliers", headers={"Authorization": header} if header else {})
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_stops_working_at_once(api, admin_token):
    assert api.get("/suppliers").status_code == 200
    revoke_token(token=admin_token.token, by=None)
    assert_problem(api.get("/suppliers"), 401)


def test_use_is_recorded_without_writing_on_every_request(api, admin_token):
    assert admin_token.token.last_used_at is None
    api.get("/suppliers")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    api.get("/suppliers")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=5))
    api.get("/suppliers")
    assert ApiToken.objects.get().last_used_at > first


def test_a_read_only_token_reads_but_every_write_is_403(read_api, company_a):
    supplier = SupplierFactory(buyer=company_a)
    assert read_api.get("/suppliers").status_code == 200
    assert read_api.get(f"/suppliers/{supplier.id}").status_code == 200
    for method, path, body in WRITES:
        response = getattr(read_api, method)(path.format(supplier=supplier.id), body)
        assert_problem(response, 403)
    assert read_api.post(
        "/invitations/00000000-0000-0000-0000-000000000000/revoke"
    ).status_code == (403)


def test_the_rate_limit_is_per_token_with_retry_after(api, read_api, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    for _ in range(3):
        assert api.get("/suppliers").status_code == 200
    response = api.get("/suppliers")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) == 20
    assert read_api.get("/suppliers").status_code == 200  # another token, its own bucket


def test_the_command_prints_a_working_token_once(company_a, capsys):
    call_command("create_api_token", "--company", "CO:900.123.456", "--name", "erp")
    out, err = capsys.readouterr()
    secret = out.strip()
    token = ApiToken.objects.get()
    assert (token.company, token.name, token.role, token.created_by) == (
        company_a,
        "erp",
        "admin",
        None,
    )
    assert secret not in err and token.prefix in err
    assert ApiClient(secret).get("/suppliers").status_code == 200


def test_the_command_makes_read_only_tokens(company_a, capsys):
    call_command("create_api_token", "--company", "CO:9001234568", "--name", "bi", "--role", "read")
    assert_problem(ApiClient(capsys.readouterr().out.strip()).post("/invitations", {}), 403)


@pytest.mark.parametrize("company", ["CO:800197268", "CO:12", "XX:1", "nothing"])
def test_the_command_names_an_unknown_or_invalid_company(db, company):
    with pytest.raises(CommandError):
        call_command("create_api_token", "--company", company, "--name", "erp")
