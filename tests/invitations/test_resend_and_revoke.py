from __future__ import annotations

import pytest
from django.urls import reverse

from suppliernet.audit.models import AuditEntry
from suppliernet.invitations.models import Status
from suppliernet.invitations.sending import (
    InvalidAddresses,
    NotOpen,
    TooManyChanges,
    find_invitation_by_code,
    invite_supplier,
    resend_invitation,
    revoke_invitation,
)
from suppliernet.outbox.delivery import deliver_due
from suppliernet.outbox.models import OutgoingMail
from tests.invitations.conftest import code_of


@pytest.fixture
def invitation(company_a, alice, supplier):
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice
    )
    return invitation


def test_resend_issues_a_new_code_and_the_old_one_stops_working(smtp_server, alice, invitation):
    old_code, old_expiry = code_of(invitation), invitation.expires_at
    deliver_due()
    resent = resend_invitation(invitation=invitation, by=alice)
    new_code = code_of(resent)
    assert new_code != old_code
    assert find_invitation_by_code(old_code) is None
    assert find_invitation_by_code(new_code) == invitation
    assert resent.expires_at > old_expiry
    assert (resent.status, resent.resent_count, resent.sent_at) == (Status.QUEUED, 1, None)
    deliver_due()
    latest = smtp_server.messages[-1]
    assert new_code in latest.get_body(("plain",)).get_content()
    # A Colombian supplier reads Spanish: "replaces the one we sent you earlier".
    assert "reemplaza al que le enviamos antes" in latest.get_body(("plain",)).get_content()
    resent.refresh_from_db()
    assert resent.status == Status.SENT and resent.message_id == latest["Message-ID"]
    assert AuditEntry.objects.filter(action="invitation.resent", target_id=str(invitation.id))


def test_the_replaced_message_no_longer_moves_the_invitation(smtp_server, alice, invitation):
    """Resent while the first message was with a worker: its result must not move the new one."""
    first_mail = invitation.mail
    OutgoingMail.objects.filter(pk=first_mail.pk).update(status="sending")  # claimed, in flight
    resend_invitation(invitation=invitation, by=alice)
    smtp_server.reject(invitation.email)
    deliver_due()
    invitation.refresh_from_db()
    assert OutgoingMail.objects.get(pk=first_mail.pk).status == "sending"
    assert invitation.status == Status.FAILED  # from the latest message only
    assert invitation.mail_id != first_mail.pk


def test_resend_of_a_failed_invitation_queues_it_again(smtp_server, alice, invitation):
    smtp_server.reject(invitation.email)
    deliver_due()
    invitation.refresh_from_db()
    assert invitation.status == Status.FAILED
    resent = resend_invitation(invitation=invitation, by=alice)
    assert (resent.status, resent.failure_reason, resent.failed_at) == (Status.QUEUED, "", None)


def test_revoke_ends_the_invitation_and_its_code(alice, invitation):
    code = code_of(invitation)
    revoked = revoke_invitation(invitation=invitation, by=alice)
    assert (revoked.status, revoked.revoked_by) == (Status.REVOKED, alice)
    assert revoked.revoked_at is not None
    found = find_invitation_by_code(code)
    assert found == invitation and not found.is_open  # registration says "revoked"
    with pytest.raises(NotOpen):
        revoke_invitation(invitation=invitation, by=alice)
    with pytest.raises(NotOpen):
        resend_invitation(invitation=invitation, by=alice)
    assert AuditEntry.objects.filter(action="invitation.revoked", target_id=str(invitation.id))


def test_a_revoked_address_can_be_invited_again(company_a, alice, supplier, invitation):
    revoke_invitation(invitation=invitation, by=alice)
    [again] = invite_supplier(buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice)
    assert again.is_open


def test_resending_an_ended_invitation_whose_address_was_invited_again_is_refused(
    company_a, alice, supplier, invitation, smtp_server
):
    smtp_server.reject(invitation.email)
    deliver_due()
    invite_supplier(buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice)
    with pytest.raises(InvalidAddresses):
        resend_invitation(invitation=invitation, by=alice)


def test_resend_and_revoke_are_limited_per_supplier(company_a, alice, supplier, settings):
    settings.INVITATION_CHANGES_PER_HOUR = 3
    invitations = invite_supplier(
        buyer=company_a,
        supplier=supplier,
        emails=["a@norte.example", "b@norte.example"],
        by=alice,
    )
    resend_invitation(invitation=invitations[0], by=alice)
    resend_invitation(invitation=invitations[1], by=alice)
    revoke_invitation(invitation=invitations[0], by=alice)
    with pytest.raises(TooManyChanges):
        resend_invitation(invitation=invitations[1], by=alice)
    invitations[1].refresh_from_db()
    assert invitations[1].resent_count == 1


def test_a_refused_change_does_not_use_up_the_limit(
    company_a, alice, supplier, invitation, smtp_server, settings
):
    settings.INVITATION_CHANGES_PER_HOUR = 1
    smtp_server.reject(invitation.email)
    deliver_due()
    [again] = invite_supplier(buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice)
    with pytest.raises(InvalidAddresses):  # refused after taking its token: given back
        resend_invitation(invitation=invitation, by=alice)
    assert revoke_invitation(invitation=again, by=alice).status == Status.REVOKED


def test_the_buttons_resend_and_revoke_and_go_back(alice_client, invitation):
    back = reverse("invitation_list") + "?status=queued"
    response = alice_client.post(
        reverse("invitation_resend", args=[invitation.id]), {"next": back}, follow=True
    )
    assert response.redirect_chain == [(back, 302)]
    assert "A new code is on its way to facturas@norte.example" in response.content.decode()
    response = alice_client.post(reverse("invitation_revoke", args=[invitation.id]), follow=True)
    assert "was revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.resent_count) == (Status.REVOKED, 1)


def test_too_many_changes_is_a_message_not_an_error_page(alice_client, invitation, settings):
    settings.INVITATION_CHANGES_PER_HOUR = 1
    alice_client.post(reverse("invitation_resend", args=[invitation.id]))
    response = alice_client.post(reverse("invitation_revoke", args=[invitation.id]), follow=True)
    assert response.status_code == 200
    assert "changed too often" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Status.QUEUED


def test_revoking_before_delivery_stops_the_queued_message(smtp_server, alice, invitation):
    revoke_invitation(invitation=invitation, by=alice)
    deliver_due()
    assert smtp_server.messages == []
    assert OutgoingMail.objects.get(pk=invitation.mail_id).status == "cancelled"


def test_resending_before_delivery_sends_only_the_new_code(smtp_server, alice, invitation):
    old_mail_id = invitation.mail_id
    resent = resend_invitation(invitation=invitation, by=alice)
    deliver_due()
    assert len(smtp_server.messages) == 1
    assert code_of(resent) in smtp_server.messages[0].get_body(("plain",)).get_content()
    assert OutgoingMail.objects.get(pk=old_mail_id).status == "cancelled"
