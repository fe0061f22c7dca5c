"""Once the pair matches but the company cannot be registered with it: already registered
(ask its admin to add me) or an expired/revoked code (ask the inviting company for a new one)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suppliernet.audit.models import AuditEntry
from suppliernet.companies.models import User
from suppliernet.invitations.models import Status
from suppliernet.outbox.models import OutgoingMail
from suppliernet.outbox.rendering import content_of
from suppliernet.registration.activation import mask_email
from tests.conftest import logged_in
from tests.factories import CompanyFactory, SupplierFactory
from tests.registration.conftest import REGISTER, activate, invite, register

ASK_ADMIN = reverse("activation_ask_admin")
ASK_NEW_CODE = reverse("activation_ask_new_code")


@pytest.fixture
def registered(invited):
    """The supplier company registered by Ana; a colleague now holds another code for it."""
    assert register(Client(), invited).status_code == 302
    colleague = invite(
        buyer=invited.invitation.buyer, supplier=invited.supplier, email="luis@norte.example"
    )
    colleague.invitation.status = Status.SENT  # invited just before Ana registered
    colleague.invitation.save()
    return colleague


def test_masked_email_keeps_the_first_letter_and_the_domain():
    assert mask_email("ana.gomez@empresa.co") == "a•••@empresa.co"


def test_already_registered_names_the_admin_masked_and_offers_to_ask_to_be_added(
    client, registered
):
    activate(client, registered.code, registered.supplier.tax_id)
    html = client.get(REGISTER).content.decode()
    assert "Transportes del Norte S.A.S. is already registered" in html
    assert "a•••@norte.example" in html
    assert "ana@norte.example" not in html
    assert 'action="/activate/ask-admin/"' in html
    assert 'name="password1"' not in html

    response = client.post(ASK_ADMIN, {"name": "Luis Pérez", "email": "luis@norte.example"})
    assert response["Location"] == REGISTER
    [mail] = OutgoingMail.objects.filter(purpose="registration.ask-admin")
    assert (mail.to, mail.reply_to) == ("ana@norte.example", "luis@norte.example")
    assert mail.company == registered.supplier.company
    text = content_of(mail).text
    assert "Luis Pérez (luis@norte.example)" in text
    assert "/company/users/" in text
    assert "Your request was sent to the company" in client.get(REGISTER).content.decode()
    assert AuditEntry.objects.filter(
        company=registered.supplier.company, action="registration.admin_asked"
    ).exists()


def test_asking_the_admin_is_rate_limited_per_invitation(client, registered, settings):
    settings.REGISTRATION_REQUESTS_PER_DAY = 2
    activate(client, registered.code, registered.supplier.tax_id)
    for _ in range(3):
        client.post(ASK_ADMIN, {"name": "Luis", "email": "luis@norte.example"})
    assert OutgoingMail.objects.filter(purpose="registration.ask-admin").count() == 2
    assert "sent several times today" in client.get(REGISTER).content.decode()


def test_asking_is_refused_for_an_open_invitation(client, invited):
    activate(client, invited.code, invited.supplier.tax_id)
    client.post(ASK_ADMIN, {"name": "Luis", "email": "luis@norte.example"})
    client.post(ASK_NEW_CODE, {"name": "Luis", "email": "luis@norte.example"})
    assert not OutgoingMail.objects.filter(purpose__startswith="registration.").exists()


@pytest.mark.parametrize(
    ("fields", "title", "reason"),
    [
        (
            {"expires_at": timezone.now() - timedelta(days=2)},
            "This activation code has expired",
            "venció",
        ),
        ({"status": Status.REVOKED}, "This activation code was revoked", "fue revocado"),
    ],
)
def test_an_expired_or_revoked_code_says_so_and_asks_the_inviting_company_for_a_new_one(
    client, company_a, alice, bob, supplier, fields, title, reason
):
    closed = invite(buyer=company_a, supplier=supplier, **fields)
    assert activate(client, closed.code, supplier.tax_id)["Location"] == REGISTER
    html = client.get(REGISTER).content.decode()
    assert title in html
    assert "Invited by <strong>Almacenes Andinos S.A.S.</strong>" in html
    assert 'name="password1"' not in html
    assert client.post(REGISTER, {"legal_name": "X"}).status_code == 409

    response = client.post(ASK_NEW_CODE, {"name": "Ana Gómez", "email": "ana@norte.example"})
    assert response["Location"] == REGISTER
    [mail] = OutgoingMail.objects.filter(purpose="registration.new-code")
    assert mail.to == "alice@a.example"  # the admins, not the read-only member
    assert mail.company == company_a
    text = content_of(mail).text
    assert mail.language == "es"  # a Colombian buyer's admins read Spanish
    assert f"su código {reason}" in text
    assert supplier.get_absolute_url() in text
    entry = AuditEntry.objects.get(company=company_a, action="invitation.new_code_requested")
    assert entry.target_id == str(closed.invitation.id)
    assert entry.ip_address is None
    assert supplier.company.registered_at is None


def test_asking_for_a_new_code_is_rate_limited(client, company_a, alice, supplier, settings):
    settings.REGISTRATION_REQUESTS_PER_DAY = 1
    closed = invite(buyer=company_a, supplier=supplier, status=Status.REVOKED)
    activate(client, closed.code, supplier.tax_id)
    client.post(ASK_NEW_CODE, {"name": "Ana", "email": "ana@norte.example"})
    client.post(ASK_NEW_CODE, {"name": "Ana", "email": "ana@norte.example"})
    assert OutgoingMail.objects.filter(purpose="registration.new-code").count() == 1


def test_a_registered_company_without_admins_says_whom_to_contact(client, company_a, alice):
    company = CompanyFactory(registered_at=timezone.now())
    invited = invite(buyer=company_a, supplier=SupplierFactory(buyer=company_a, company=company))
    activate(client, invited.code, company.tax_id)
    html = client.get(REGISTER).content.decode()
    assert "It has no admin to write to yet" in html
    assert client.post(ASK_ADMIN, {"name": "L", "email": "l@x.example"})["Location"] == REGISTER
    assert not OutgoingMail.objects.filter(purpose="registration.ask-admin").exists()


def test_a_member_who_comes_back_with_the_code_is_sent_home(invited, registered):
    ana = logged_in(User.objects.get(email="ana@norte.example"))
    activate(ana, registered.code, registered.supplier.tax_id)
    assert "You are a member of this company already." in ana.get(REGISTER).content.decode()
