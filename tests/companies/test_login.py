from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("login")


def test_login_with_email_and_password(alice):
    client = Client()
    response = client.post(LOGIN, {"username": "ALICE@a.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("supplier_list")).status_code == 200


def test_passwords_are_hashed_with_argon2(alice):
    assert alice.password.startswith("argon2")


def test_wrong_password_is_refused(alice):
    response = Client().post(LOGIN, {"username": "alice@a.example", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_repeated_failures_lock_the_account_out_with_a_message(alice, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "alice@a.example", "password": "wrong"})
    response = client.post(LOGIN, {"username": "alice@a.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout(alice_client):
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("supplier_list")).status_code == 302


def test_password_reset_sends_a_working_link(alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    client.post(reverse("password_reset"), {"email": "alice@a.example"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    new = "a new Passw0rd for 2027"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_password_change(alice_client, alice):
    new = "another Passw0rd 2027"
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)
