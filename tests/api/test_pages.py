"""Company → API tokens."""

from __future__ import annotations

import re

from django.urls import reverse

from suppliernet.api.models import ApiToken
from suppliernet.audit.models import AuditEntry
from tests.api.conftest import ApiClient, assert_problem
from tests.api.factories import ApiTokenFactory


def test_an_admin_creates_a_token_and_sees_it_only_once(alice_client, company_a, alice):
    response = alice_client.post(
        reverse("api_token_create"), {"name": "SAP production", "role": "read"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="secret">(snt_[^<]+)</code>', response.content.decode())[1]
    token = ApiToken.objects.get()
    assert (token.company, token.name, token.role, token.created_by) == (
        company_a,
        "SAP production",
        "read",
        alice,
    )
    assert ApiClient(secret).get("/suppliers").status_code == 200

    listing = alice_client.get(reverse("api_token_list")).content.decode()
    assert secret not in listing
    assert token.prefix in listing and "SAP production" in listing
    assert AuditEntry.objects.filter(action="api_token.created").exists()


def test_the_list_shows_when_each_token_was_last_used(alice_client, admin_token):
    assert "Never" in alice_client.get(reverse("api_token_list")).content.decode()
    ApiClient(admin_token.secret).get("/suppliers")
    assert "Never" not in alice_client.get(reverse("api_token_list")).content.decode()


def test_a_token_needs_a_name(alice_client):
    response = alice_client.post(reverse("api_token_create"), {"name": "", "role": "admin"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token(alice_client, admin_token):
    response = alice_client.post(reverse("api_token_revoke", args=[admin_token.token.id]))
    assert response.status_code == 302
    assert_problem(ApiClient(admin_token.secret).get("/suppliers"), 401)
    assert "Revoked" in alice_client.get(reverse("api_token_list")).content.decode()
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_members_cannot_see_or_manage_tokens(bob_client, admin_token):
    assert bob_client.get(reverse("api_token_list")).status_code == 403
    assert bob_client.post(reverse("api_token_create"), {"name": "x"}).status_code == 403
    revoke = reverse("api_token_revoke", args=[admin_token.token.id])
    assert bob_client.post(revoke).status_code == 403
    assert ApiToken.objects.get().is_active


def test_another_companys_token_is_404(charlie_client, company_a):
    token = ApiTokenFactory(company=company_a)
    assert charlie_client.post(reverse("api_token_revoke", args=[token.id])).status_code == 404
    assert token.name not in charlie_client.get(reverse("api_token_list")).content.decode()
