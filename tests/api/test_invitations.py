from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from suppliernet.audit.models import Channel
from suppliernet.invitations.models import Invitation, Status
from tests.api.conftest import assert_problem
from tests.factories import CompanyFactory, SupplierFactory
from tests.invitations.factories import InvitationFactory


@pytest.fixture
def supplier(company_a):
    return SupplierFactory(
        buyer=company_a, name="Transportes del Norte S.A.S.", email="facturas@norte.example"
    )


@pytest.fixture
def registered(company_a):
    company = CompanyFactory(registered_at="2026-01-01T00:00Z")
    return SupplierFactory(buyer=company_a, company=company, name="Papelería Ñandú")


def test_inviting_a_supplier_creates_one_invitation_per_address(api, supplier):
    response = api.post(
        f"/suppliers/{supplier.id}/invitations",
        {"emails": ["a@norte.example", "b@norte.example"], "language": "en"},
    )
    assert response.status_code == 201, response.content
    items = response.json()["items"]
    assert [(i["email"], i["status"], i["language"]) for i in items] == [
        ("a@norte.example", "queued", "en"),
        ("b@norte.example", "queued", "en"),
    ]
    invitations = Invitation.objects.filter(supplier=supplier)
    assert {i.channel for i in invitations} == {Channel.API}
    assert invitations.count() == 2


def test_without_addresses_the_primary_e_mail_is_invited(api, supplier):
    response = api.post(f"/suppliers/{supplier.id}/invitations", {})
    assert response.status_code == 201, response.content
    assert [i["email"] for i in response.json()["items"]] == ["facturas@norte.example"]


def test_an_invitation_never_shows_its_code_or_hash(api, supplier):
    response = api.post(f"/suppliers/{supplier.id}/invitations", {})
    invitation = Invitation.objects.get()
    code = invitation.mail.context["code"]
    for text in (response.content, api.get("/invitations").content):
        body = text.decode()
        assert code not in body and code.replace("-", "") not in body
        assert invitation.code_hash not in body and invitation.code_hint not in body
    assert set(response.json()["items"][0]) == {
        "id",
        "supplier_id",
        "email",
        "language",
        "status",
        "channel",
        "created_at",
        "expires_at",
        "sent_at",
        "failed_at",
        "failure_reason",
        "accepted_at",
        "revoked_at",
        "resent_count",
    }


def test_bad_or_already_invited_addresses_are_field_errors(api, supplier):
    api.post(f"/suppliers/{supplier.id}/invitations", {"emails": ["a@norte.example"]})
    response = api.post(
        f"/suppliers/{supplier.id}/invitations", {"emails": ["a@norte.example", "nope"]}
    )
    body = assert_problem(response, 422, "emails")
    assert len(body["errors"]) == 2
    assert Invitation.objects.count() == 1


def test_a_registered_supplier_is_a_conflict(api, registered):
    response = api.post(f"/suppliers/{registered.id}/invitations", {"emails": ["x@y.example"]})
    assert_problem(response, 409)


def test_invite_selected_by_ids_reports_what_was_skipped(api, company_a, supplier, registered):
    without_email = SupplierFactory(buyer=company_a, email="")
    response = api.post(
        "/invitations",
        {"supplier_ids": [str(supplier.id), str(registered.id), str(without_email.id)]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["matched"], body["invited"]) == ("done", 3, 1)
    assert body["skipped"] == {
        "registered": [str(registered.id)],
        "invited": [],
        "no_email": [str(without_email.id)],
    }
    assert body["invitation_ids"] == [str(Invitation.objects.get(supplier=supplier).id)]


def test_invite_selected_by_the_lists_filter(api, company_a, supplier):
    SupplierFactory(buyer=company_a, name="Otro", city="Cali")
    response = api.post("/invitations", {"filter": {"q": "norte"}})
    assert response.status_code == 200, response.content
    assert response.json()["invited"] == 1
    assert Invitation.objects.get().supplier == supplier


def test_invite_selected_refuses_other_companies_ids_and_nothing_is_sent(api, supplier, company_b):
    foreign = SupplierFactory(buyer=company_b)
    response = api.post("/invitations", {"supplier_ids": [str(supplier.id), str(foreign.id)]})
    assert_problem(response, 422, "supplier_ids.1")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"supplier_ids": [], "filter": {}}, {"supplier_ids": ["x"]}, {"filter": 3}]
)
def test_invite_selected_needs_either_ids_or_a_filter(api, body):
    assert_problem(api.post("/invitations", body), 422)


@pytest.mark.django_db(transaction=True)
def test_a_large_invite_selected_runs_in_the_task_worker(api, company_a, settings):
    settings.INVITE_IN_BACKGROUND_ABOVE = 2
    for n in range(3):
        SupplierFactory(buyer=company_a, name=f"Grande {n}")
    response = api.post("/invitations", {"filter": {"q": "grande"}})
    assert response.status_code == 202, response.content
    assert (response.json()["status"], response.json()["matched"]) == ("queued", 3)
    assert not Invitation.objects.exists()
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert Invitation.objects.filter(channel=Channel.API).count() == 3


def test_the_list_filters_by_status_and_supplier_newest_first(api, company_a, supplier):
    sent = InvitationFactory(buyer=company_a, supplier=supplier, status=Status.SENT)
    revoked = InvitationFactory(buyer=company_a, supplier=supplier, status=Status.REVOKED)
    other = InvitationFactory(buyer=company_a, status=Status.SENT)
    InvitationFactory(status=Status.SENT)  # another company's

    def ids(params):
        response = api.get("/invitations", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids({}) == [str(i.id) for i in (other, revoked, sent)]
    assert ids({"status": "sent"}) == [str(other.id), str(sent.id)]
    assert ids({"status": "sent", "supplier_id": str(supplier.id)}) == [str(sent.id)]
    assert_problem(api.get("/invitations", {"status": "lost"}), 422, "status")


def test_the_list_pages_with_a_cursor(api, company_a):
    made = [InvitationFactory(buyer=company_a) for _ in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/invitations", params).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [str(i.id) for i in reversed(made)]


def test_resend_gives_a_new_code_and_revoke_ends_the_invitation(api, company_a, supplier):
    api.post(f"/suppliers/{supplier.id}/invitations", {})
    invitation = Invitation.objects.get()
    old_hash = invitation.code_hash

    response = api.post(f"/invitations/{invitation.id}/resend")
    assert response.status_code == 200, response.content
    assert response.json()["resent_count"] == 1
    invitation.refresh_from_db()
    assert invitation.code_hash != old_hash

    response = api.post(f"/invitations/{invitation.id}/revoke")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["revoked_at"] is not None) == (
        "revoked",
        True,
    )
    assert_problem(api.post(f"/invitations/{invitation.id}/revoke"), 409)
    assert_problem(api.post(f"/invitations/{invitation.id}/resend"), 409)


def test_too_many_changes_to_one_supplier_are_429_with_retry_after(api, company_a, settings):
    settings.INVITATION_CHANGES_PER_HOUR = 1
    invitation = InvitationFactory(buyer=company_a)
    assert api.post(f"/invitations/{invitation.id}/resend").status_code == 200
    response = api.post(f"/invitations/{invitation.id}/resend")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_get_one_invitation(api, company_a):
    invitation = InvitationFactory(buyer=company_a)
    response = api.get(f"/invitations/{invitation.id}")
    assert json.loads(response.content)["id"] == str(invitation.id)
