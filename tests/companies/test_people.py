from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from suppliernet.companies.models import Membership, User
from tests.factories import MembershipFactory

ADD = reverse("colleague_add")


def test_admin_adds_a_colleague_who_gets_a_password_link(
    alice_client, company_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(ADD, {"email": "Dora@A.example", "role": "member"})
    assert response.status_code == 302
    dora = User.objects.get(email="dora@a.example")
    assert Membership.objects.get(user=dora, company=company_a).role == "member"
    assert not dora.has_usable_password()
    assert len(mail.outbox) == 1
    assert company_a.legal_name in mail.outbox[0].subject
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    client = Client()
    page = client.get(link.split("8000", 1)[1], follow=True)
    password = "dora's own Passw0rd"
    client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    dora.refresh_from_db()
    assert dora.check_password(password)


def test_adding_an_existing_member_says_so(alice_client, company_a, bob):
    response = alice_client.post(ADD, {"email": "bob@a.example", "role": "admin"})
    assert response.status_code == 409
    assert "already a member" in response.content.decode()
    assert Membership.objects.get(user=bob).role == "member"


def test_member_may_not_add_colleagues(bob_client, company_a):
    assert bob_client.post(ADD, {"email": "x@a.example", "role": "admin"}).status_code == 403
    assert not User.objects.filter(email="x@a.example").exists()


def test_users_page_lists_only_the_active_companys_members(charlie_client, alice, bob):
    html = charlie_client.get(reverse("company_users")).content.decode()
    assert "charlie@b.example" in html
    assert "alice@a.example" not in html


def test_user_in_two_companies_switches_the_active_one(alice_client, alice, company_b):
    MembershipFactory(user=alice, company=company_b, role="member")
    page = alice_client.get(reverse("supplier_list"))
    assert page.context["company"].legal_name == "Almacenes Andinos S.A.S."
    alice_client.post(reverse("switch_company"), {"company": str(company_b.id)})
    page = alice_client.get(reverse("supplier_list"))
    assert page.context["company"] == company_b
    assert not page.context["is_company_admin"]


def test_switching_to_a_company_one_is_not_in_is_refused(charlie_client, company_a, company_b):
    charlie_client.post(reverse("switch_company"), {"company": str(company_a.id)})
    assert charlie_client.get(reverse("supplier_list")).context["company"] == company_b


def test_language_choice_is_remembered_for_the_user(alice_client, alice):
    alice_client.post(reverse("switch_language"), {"language": "es", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "es"
    fresh = Client()
    fresh.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert "Proveedores" in fresh.get(reverse("supplier_list")).content.decode()
