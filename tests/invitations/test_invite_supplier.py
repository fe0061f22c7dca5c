"""Inviting one supplier: the Invite page (a dialog with JavaScript) and Add Supplier → Send."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from suppliernet.audit.models import AuditEntry
from suppliernet.invitations.models import Invitation, Status
from suppliernet.invitations.sending import (
    AlreadyRegistered,
    InvalidAddresses,
    find_invitation_by_code,
    invite_supplier,
)
from suppliernet.outbox.models import OutgoingMail
from tests.invitations.conftest import code_of


def invite_url(supplier) -> str:
    return reverse("supplier_invite", args=[supplier.id])


def test_two_addresses_make_two_invitations_each_with_its_message(company_a, alice, supplier):
    invitations = invite_supplier(
        buyer=company_a,
        supplier=supplier,
        emails=["facturas@norte.example", "compras@norte.example"],
        by=alice,
    )
    assert [i.email for i in invitations] == ["facturas@norte.example", "compras@norte.example"]
    assert {i.status for i in invitations} == {Status.QUEUED}
    mails = OutgoingMail.objects.order_by("to")
    assert [m.to for m in mails] == ["compras@norte.example", "facturas@norte.example"]
    assert {m.template for m in mails} == {"invitations/email/invitation"}
    assert {i.mail_id for i in invitations} == {m.id for m in mails}
    first, second = (code_of(i) for i in invitations)
    assert first != second
    assert find_invitation_by_code(first) == invitations[0]
    assert find_invitation_by_code(second) == invitations[1]
    assert AuditEntry.objects.filter(action="invitation.created", actor=alice).count() == 2


def test_invitations_and_messages_are_written_in_the_callers_transaction(
    company_a, alice, supplier
):
    with pytest.raises(RuntimeError), transaction.atomic():
        invite_supplier(
            buyer=company_a,
            supplier=supplier,
            emails=["a@norte.example", "b@norte.example"],
            by=alice,
        )
        raise RuntimeError("something after the invitation fails")
    assert not Invitation.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_the_code_is_stored_only_as_a_hash_with_a_hint(company_a, alice, supplier):
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice
    )
    code = code_of(invitation)
    assert code.replace("-", "") not in invitation.code_hash
    assert invitation.code_hint == code[-4:]
    assert (invitation.expires_at - invitation.created_at).days == 30


def test_the_invite_page_is_prefilled_with_the_primary_email(alice_client, supplier):
    response = alice_client.get(invite_url(supplier))
    assert response.status_code == 200
    assert response.context["form"].initial["emails"] == "facturas@norte.example"
    assert response.context["form"].initial["language"] == "es"
    html = response.content.decode()
    assert 'name="key"' in html and "data-invite-panel" in html


def test_sending_from_the_page_invites_each_address_and_goes_back(alice_client, supplier):
    back = reverse("supplier_list") + "?city=bogota"
    response = alice_client.post(
        invite_url(supplier),
        {
            "emails": "facturas@norte.example;\ncompras@norte.example",
            "language": "en",
            "next": back,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    assert sorted(supplier.invitations.values_list("email", flat=True)) == [
        "compras@norte.example",
        "facturas@norte.example",
    ]
    assert set(supplier.invitations.values_list("language", flat=True)) == {"en"}
    assert "are on their way" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "messages"),
    [
        ("", ["Enter at least one e-mail address."]),
        ("ok@norte.example, x@@y.com, a@b", ["“x@@y.com” is not", "“a@b” is not"]),
        ("ok@norte.example; OK@norte.example", ["“OK@norte.example” is listed twice."]),
    ],
)
def test_bad_addresses_get_a_message_each_and_nothing_is_sent(
    alice_client, supplier, typed, messages
):
    response = alice_client.post(invite_url(supplier), {"emails": typed, "language": "es"})
    assert response.status_code == 400
    errors = response.context["form"].errors["emails"]
    assert len(errors) == len(messages)
    for error, expected in zip(errors, messages, strict=True):
        assert expected in error
    assert not Invitation.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_an_address_with_an_open_invitation_is_refused_by_name(company_a, alice, supplier):
    invite_supplier(buyer=company_a, supplier=supplier, emails=["a@norte.example"], by=alice)
    with pytest.raises(InvalidAddresses) as refused:
        invite_supplier(
            buyer=company_a,
            supplier=supplier,
            emails=["b@norte.example", "A@norte.example"],
            by=alice,
        )
    assert refused.value.messages == [
        "“A@norte.example” already has an open invitation; resend it instead."
    ]
    assert supplier.invitations.count() == 1


def test_an_expired_invitation_frees_its_address(company_a, alice, supplier, settings):
    [old] = invite_supplier(buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice)
    Invitation.objects.filter(pk=old.pk).update(expires_at=old.created_at)
    assert Invitation.objects.get(pk=old.pk).current_status == Status.EXPIRED
    [new] = invite_supplier(buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice)
    assert Invitation.objects.get(pk=old.pk).status == Status.EXPIRED
    assert new.is_open


def test_a_registered_supplier_is_refused(company_a, alice, alice_client, registered_supplier):
    with pytest.raises(AlreadyRegistered):
        invite_supplier(
            buyer=company_a, supplier=registered_supplier, emails=["a@x.example"], by=alice
        )
    page = alice_client.get(invite_url(registered_supplier)).content.decode()
    assert "is already registered" in page and "<textarea" not in page
    response = alice_client.post(
        invite_url(registered_supplier), {"emails": "a@x.example", "language": "es"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_add_supplier_then_send(alice_client, company_a):
    response = alice_client.post(
        reverse("supplier_add"),
        {
            "country": "CO",
            "tax_id": "800.197.268-4",
            "name": "Transportes del Norte S.A.S.",
            "emails": "facturas@norte.example; compras@norte.example",
        },
        follow=True,
    )
    supplier = company_a.suppliers.get()
    assert response.redirect_chain == [(f"{invite_url(supplier)}?added=1", 302)]
    html = response.content.decode()
    assert "Supplier Transportes del Norte S.A.S. added." in html
    assert "Send the invitation" in html and ">Send</button>" in html
    form = response.context["form"]
    response = alice_client.post(
        f"{invite_url(supplier)}?added=1",
        {"emails": form.initial["emails"], "language": form.initial["language"]},
    )
    assert response.status_code == 302
    assert response["Location"] == supplier.get_absolute_url()
    assert list(supplier.invitations.values_list("email", flat=True)) == ["facturas@norte.example"]


def test_the_supplier_page_shows_its_invitations(
    alice_client, bob_client, company_a, alice, supplier
):
    invite_supplier(buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice)
    [invitation] = supplier.invitations.all()
    buttons = [
        reverse(f"invitation_{action}", args=[invitation.id]) for action in ("resend", "revoke")
    ]
    html = alice_client.get(supplier.get_absolute_url()).content.decode()
    assert "facturas@norte.example" in html and "Queued" in html
    assert all(button in html for button in buttons)
    member_view = bob_client.get(supplier.get_absolute_url()).content.decode()
    assert "Queued" in member_view and not any(button in member_view for button in buttons)
