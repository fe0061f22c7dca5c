"""Only admins invite, resend and revoke; members see the statuses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suppliernet.invitations.models import Invitation
from tests.invitations.factories import InvitationFactory


@pytest.fixture
def invitation(company_a, supplier):
    return InvitationFactory(buyer=company_a, supplier=supplier)


def admin_only_urls(supplier, invitation) -> list[tuple[str, str]]:
    return [
        ("get", reverse("supplier_invite", args=[supplier.id])),
        ("post", reverse("supplier_invite", args=[supplier.id])),
        ("post", reverse("invite_selected")),
        ("post", reverse("invitation_resend", args=[invitation.id])),
        ("post", reverse("invitation_revoke", args=[invitation.id])),
    ]


def test_members_get_403_on_every_invite_resend_and_revoke_url(bob_client, supplier, invitation):
    for method, url in admin_only_urls(supplier, invitation):
        data = {"emails": "a@b.example", "language": "es", "supplier": [str(supplier.id)]}
        response = getattr(bob_client, method)(url, data)
        assert response.status_code == 403, f"{method} {url}"
    assert Invitation.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.resent_count == 0 and invitation.status == "sent"


def test_anonymous_visitors_are_sent_to_log_in(client, supplier, invitation):
    for method, url in admin_only_urls(supplier, invitation):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_members_see_the_invitations_page_without_buttons(bob_client, invitation):
    response = bob_client.get(reverse("invitation_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert invitation.email in html
    assert reverse("invitation_resend", args=[invitation.id]) not in html
    assert reverse("invitation_revoke", args=[invitation.id]) not in html


def test_resend_and_revoke_answer_get_with_405(alice_client, invitation):
    assert alice_client.get(reverse("invitation_resend", args=[invitation.id])).status_code == 405
    assert alice_client.get(reverse("invitation_revoke", args=[invitation.id])).status_code == 405
