"""The registration form and what registering does: a new person, an existing account,
propagation to every network, and the one winner of concurrent submissions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suppliernet.audit.models import AuditEntry
from suppliernet.companies.models import Membership, Role, User
from suppliernet.invitations.models import Status
from suppliernet.invitations.sending import invite_supplier
from suppliernet.registration.models import CompanyProfile
from tests.conftest import logged_in
from tests.factories import SupplierFactory
from tests.registration.conftest import (
    ACTIVATE,
    REGISTER,
    activate,
    invite,
    register,
    registration_data,
)

HOME = reverse("home")


def test_a_new_person_registers_the_company_and_lands_logged_in_on_its_home_page(
    client, invited, company_a
):
    response = register(client, invited, legal_name="Transportes del Norte SAS")
    assert response.status_code == 302
    assert response["Location"] == HOME

    ana = User.objects.get(email="ana@norte.example")
    assert ana.full_name == "Ana Gómez"
    assert ana.password.startswith("argon2")
    assert ana.check_password(registration_data()["password1"])
    company = invited.supplier.company
    company.refresh_from_db()
    assert company.registered_at is not None
    assert company.legal_name == "Transportes del Norte SAS"
    assert Membership.objects.get(user=ana).company == company
    assert Membership.objects.get(user=ana).role == Role.ADMIN
    profile = CompanyProfile.objects.get(company=company)
    assert (profile.city, profile.province) == ("Bogotá", "Cundinamarca")
    invitation = invited.invitation
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (Status.ACCEPTED, ana)
    assert invitation.accepted_at == company.registered_at
    assert AuditEntry.objects.filter(company=company, action="company.registered").exists()
    assert AuditEntry.objects.filter(
        company=company_a, action="invitation.accepted", actor=ana
    ).exists()

    home = client.get(response["Location"])
    assert home.status_code == 200
    assert home.context["company"] == company
    html = home.content.decode()
    assert "Almacenes Andinos S.A.S." in html  # the buyer whose network lists it
    assert "ana@norte.example" in html and "Admin" in html


def test_the_form_is_prefilled_from_the_invitation_and_the_tax_id_cannot_be_changed(
    client, invited
):
    activate(client, invited.code, invited.supplier.tax_id)
    form = client.get(REGISTER).context["form"]
    assert form["email"].value() == "facturas@norte.example"
    assert form["legal_name"].value() == invited.supplier.company.legal_name
    assert form["address"].value() == "Calle 80 # 10-20"
    assert form["province"].label == "Department"
    assert form.fields["tax_id"].disabled
    response = client.post(REGISTER, registration_data(tax_id="900.373.115-1"))
    assert response.status_code == 302
    company = invited.supplier.company
    company.refresh_from_db()
    assert company.registered_at is not None
    assert company.tax_id == invited.supplier.tax_id


def test_passwords_go_through_djangos_validators(client, invited):
    response = register(client, invited, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(email="ana@norte.example").exists()
    assert invited.supplier.company.registered_at is None


def test_an_email_with_an_account_is_refused_with_a_way_to_log_in(client, invited, alice):
    response = register(client, invited, email="ALICE@a.example")
    assert response.status_code == 409
    html = response.content.decode()
    assert "An account with this e-mail exists already." in html
    assert f"/login/?next={REGISTER}" in html
    invited.supplier.company.refresh_from_db()
    assert invited.supplier.company.registered_at is None


def test_a_logged_in_person_activates_a_further_company_without_a_second_account(charlie, invited):
    client = logged_in(charlie)
    assert 'href="/activate/">Activate a company with a code' in client.get(HOME).content.decode()
    activate(client, invited.code, invited.supplier.tax_id)
    form = client.get(REGISTER).context["form"]
    assert "password1" not in form.fields and "email" not in form.fields
    users = User.objects.count()
    data = {k: v for k, v in registration_data().items() if k not in form.PERSON_FIELDS}
    response = client.post(REGISTER, data)
    assert response["Location"] == HOME
    assert User.objects.count() == users
    membership = Membership.objects.get(user=charlie, company=invited.supplier.company)
    assert membership.role == Role.ADMIN
    assert client.get(HOME).context["company"] == invited.supplier.company
    invited.invitation.refresh_from_db()
    assert invited.invitation.accepted_by == charlie


def test_registered_shows_in_every_network_and_closes_the_other_buyers_invitations(
    client, invited, company_a, company_b, alice, charlie
):
    company = invited.supplier.company
    in_b = SupplierFactory(buyer=company_b, company=company, name="Norte (B)")
    elsewhere = invite(buyer=company_b, supplier=in_b, email="compras@norte.example")
    second_in_a = invite(buyer=company_a, supplier=invited.supplier, email="otro@norte.example")
    supplier_list = reverse("supplier_list")
    for buyer_client in (logged_in(alice), logged_in(charlie)):
        assert 'class="registered"' not in buyer_client.get(supplier_list).content.decode()

    register(client, invited)

    for buyer_client in (logged_in(alice), logged_in(charlie)):
        assert 'class="registered"' in buyer_client.get(supplier_list).content.decode()
    ana = User.objects.get(email="ana@norte.example")
    for other in (elsewhere, second_in_a):
        other.invitation.refresh_from_db()
        assert other.invitation.status == Status.ACCEPTED
        assert other.invitation.accepted_by == ana
    assert AuditEntry.objects.filter(company=company_b, action="invitation.accepted").exists()
    # Buyer B sees when and by whom, on the supplier's page and in its Invitations list.
    detail = logged_in(charlie).get(in_b.get_absolute_url()).content.decode()
    assert "Accepted" in detail and "Ana Gómez" in detail
    listing = logged_in(charlie).get(reverse("invitation_list")).content.decode()
    assert "Ana Gómez" in listing


def test_registering_cancels_invitation_emails_that_have_not_gone_out(
    client, invited, company_b, charlie
):
    in_b = SupplierFactory(
        buyer=company_b, company=invited.supplier.company, email="compras@norte.example"
    )
    [pending] = invite_supplier(buyer=company_b, supplier=in_b, emails=[in_b.email], by=charlie)
    register(client, invited)
    pending.mail.refresh_from_db()
    assert pending.mail.status == "cancelled"  # no e-mail asks a registered company to register


def test_an_invitation_past_its_expiry_is_recorded_expired_not_accepted(client, invited, company_b):
    in_b = SupplierFactory(buyer=company_b, company=invited.supplier.company)
    old = invite(buyer=company_b, supplier=in_b, expires_at=timezone.now() - timedelta(days=1))
    register(client, invited)
    old.invitation.refresh_from_db()
    assert old.invitation.status == Status.EXPIRED


def test_a_company_with_people_already_cannot_be_registered_with_a_code(
    client, company_a, company_b, alice, charlie
):
    # Company B is a buyer with users; company A invites it as a supplier.
    invited = invite(buyer=company_a, supplier=SupplierFactory(buyer=company_a, company=company_b))
    activate(client, invited.code, company_b.tax_id)
    html = client.get(REGISTER).content.decode()
    assert "Comercial Austral SpA is already registered" in html
    assert client.post(REGISTER, registration_data()).status_code == 409
    assert not Membership.objects.filter(company=company_b).exclude(user=charlie).exists()


def test_a_registration_posted_after_another_won_shows_already_registered(
    client, invited, company_a
):
    late = Client()
    activate(late, invited.code, invited.supplier.tax_id)
    register(client, invited)
    response = late.post(REGISTER, registration_data(email="luis@norte.example"))
    assert response.status_code == 409
    assert "is already registered" in response.content.decode()
    assert not User.objects.filter(email="luis@norte.example").exists()
    assert Membership.objects.filter(company=invited.supplier.company).count() == 1


def postgres_only(test):
    marks = [
        pytest.mark.postgres_only,
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="concurrent transactions need PostgreSQL; SQLite runs one writer at a time, "
            "test_a_registration_posted_after_another_won_shows_already_registered covers it",
        ),
        pytest.mark.django_db(transaction=True),
    ]
    for mark in marks:
        test = mark(test)
    return test


@postgres_only
@pytest.mark.parametrize("codes", ["the same code twice", "two buyers' codes"])
def test_concurrent_registrations_of_one_company_register_it_exactly_once(
    company_a, company_b, alice, charlie, codes
):
    supplier = SupplierFactory(buyer=company_a)
    first = invite(buyer=company_a, supplier=supplier)
    second = first
    if codes == "two buyers' codes":
        in_b = SupplierFactory(buyer=company_b, company=supplier.company)
        second = invite(buyer=company_b, supplier=in_b, email="compras@norte.example")
    clients = [Client(), Client()]
    for client, invited in zip(clients, [first, second], strict=True):
        assert activate(client, invited.code, supplier.tax_id)["Location"] == REGISTER
    start = threading.Barrier(2)
    statuses: list[int] = []

    def submit(client: Client, email: str) -> None:
        try:
            start.wait()
            statuses.append(client.post(REGISTER, registration_data(email=email)).status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(client, f"person{n}@norte.example"))
        for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302, 409]
    assert User.objects.filter(email__endswith="@norte.example").count() == 1
    assert Membership.objects.filter(company=supplier.company).count() == 1
    assert AuditEntry.objects.filter(action="company.registered").count() == 1
    for invited in (first, second):
        invited.invitation.refresh_from_db()
        assert invited.invitation.status == Status.ACCEPTED


def test_a_visit_without_a_checked_code_goes_back_to_the_code_page(client, db):
    assert client.get(REGISTER)["Location"] == ACTIVATE
    assert client.post(reverse("activation_ask_admin"), {})["Location"] == ACTIVATE


def test_each_form_carries_a_csrf_token(invited):
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" in client.get(ACTIVATE).content.decode()
    refused = client.post(ACTIVATE, {"code": invited.code, "tax_id": invited.supplier.tax_id})
    assert refused.status_code == 403
