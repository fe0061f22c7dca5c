"""The latest status on the Suppliers list and the Invitations page."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suppliernet.invitations.models import Status
from tests.factories import MembershipFactory, SupplierFactory
from tests.invitations.factories import InvitationFactory

LIST = reverse("supplier_list")
INVITATIONS = reverse("invitation_list")


def test_the_list_shows_the_latest_invitation_next_to_invite(alice_client, company_a, supplier):
    InvitationFactory(
        buyer=company_a,
        supplier=supplier,
        created_at=timezone.now() - timedelta(days=9),
        status=Status.FAILED,
        failure_reason="550 5.1.1 Mailbox unavailable",
    )
    InvitationFactory(
        buyer=company_a,
        supplier=supplier,
        email="otra@norte.example",
        created_at=timezone.now() - timedelta(days=3),
        sent_at=timezone.now() - timedelta(days=3, minutes=5),
    )
    failed = SupplierFactory(buyer=company_a)
    InvitationFactory(
        buyer=company_a,
        supplier=failed,
        status=Status.FAILED,
        failure_reason="550 mailbox unavailable",
    )
    queued = SupplierFactory(buyer=company_a)
    InvitationFactory(buyer=company_a, supplier=queued, status=Status.QUEUED, sent_at=None)
    expired = SupplierFactory(buyer=company_a)
    InvitationFactory(
        buyer=company_a, supplier=expired, expires_at=timezone.now() - timedelta(minutes=1)
    )
    html = alice_client.get(LIST).content.decode().replace("\xa0", " ")
    assert "Invited 3 days ago" in html
    assert "Failed: 550 mailbox unavailable" in html
    assert "Queued" in html
    assert "Invitation expired" in html
    assert f'href="{reverse("supplier_invite", args=[supplier.id])}?next=' in html


def test_the_lists_query_count_does_not_grow_with_invitations(alice_client, company_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(LIST).status_code == 200
        return len(captured)

    for _ in range(3):
        InvitationFactory(buyer=company_a, supplier=SupplierFactory(buyer=company_a))
    few = queries()
    for _ in range(20):
        supplier = SupplierFactory(buyer=company_a)
        InvitationFactory(buyer=company_a, supplier=supplier)
        InvitationFactory(buyer=company_a, supplier=supplier, email="other@x.example")
    assert queries() == few


def test_the_invitations_page_filters_by_status_date_and_sender(
    alice_client, company_a, company_b, alice, supplier
):
    bob = MembershipFactory(company=company_a, role="admin", user__full_name="Bob Admin").user
    sent = InvitationFactory(buyer=company_a, supplier=supplier, created_by=alice)
    old = InvitationFactory(
        buyer=company_a,
        supplier=SupplierFactory(buyer=company_a),
        created_by=bob,
        created_at=timezone.now() - timedelta(days=40),
        expires_at=timezone.now() - timedelta(days=10),
    )
    revoked = InvitationFactory(
        buyer=company_a,
        supplier=SupplierFactory(buyer=company_a),
        created_by=bob,
        status=Status.REVOKED,
    )
    InvitationFactory(buyer=company_b)

    def shown(**filters) -> set:
        response = alice_client.get(INVITATIONS, filters)
        assert response.status_code == 200
        return {invitation.id for invitation in response.context["page"].object_list}

    assert shown() == {sent.id, old.id, revoked.id}
    assert shown(status="sent") == {sent.id}
    assert shown(status="expired") == {old.id}
    assert shown(status="revoked") == {revoked.id}
    assert shown(sender=str(bob.id)) == {old.id, revoked.id}
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert shown(since=since) == {sent.id, revoked.id}
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert shown(until=until) == {old.id}


def test_a_sender_of_another_company_is_not_a_valid_filter(alice_client, charlie):
    response = alice_client.get(INVITATIONS, {"sender": str(charlie.id)})
    assert response.context["filters"].errors["sender"]
    assert list(response.context["page"].object_list) == []


def test_the_invitations_page_offers_resend_and_revoke_to_admins(alice_client, company_a, supplier):
    invitation = InvitationFactory(buyer=company_a, supplier=supplier)
    html = alice_client.get(INVITATIONS).content.decode()
    assert reverse("invitation_resend", args=[invitation.id]) in html
    assert reverse("invitation_revoke", args=[invitation.id]) in html
    assert "…9HDT" in html


def test_the_nav_links_to_invitations(bob_client):
    html = bob_client.get(LIST).content.decode()
    assert f'href="{INVITATIONS}"' in html


def test_spanish_labels(alice_client, supplier):
    alice_client.post(reverse("switch_language"), {"language": "es", "next": LIST})
    html = alice_client.get(LIST).content.decode()
    assert "Invitar" in html
