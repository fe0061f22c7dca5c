"""The whole journey as one test: invite, deliver through a real SMTP server, read the code and
link from the received e-mail, register, and see the orange check in the buyer's list."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from suppliernet.companies.models import User
from suppliernet.invitations.models import Status
from suppliernet.invitations.sending import invite_supplier
from suppliernet.outbox.delivery import deliver_due
from tests.conftest import logged_in
from tests.registration.conftest import ACTIVATE, registration_data

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def test_invite_email_register_and_the_buyer_sees_the_orange_check(
    smtp_server, company_a, alice, supplier
):
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice
    )
    assert deliver_due().sent == 1
    invitation.refresh_from_db()
    assert invitation.status == Status.SENT
    [message] = smtp_server.messages
    assert message["To"] == supplier.email
    text = message.get_body(preferencelist=("plain",)).get_content()
    code = CODE.search(text).group(0)
    link = next(line.strip() for line in text.splitlines() if "/activate/?code=" in line)
    url = urlsplit(link)

    person = Client()
    landing = person.get(f"{url.path}?{url.query}")
    assert landing["Location"] == ACTIVATE
    page = person.get(ACTIVATE).content.decode()
    assert f'value="{code}"' in page
    nit_without_check_digit = supplier.tax_id[:-1]
    checked = person.post(ACTIVATE, {"code": code, "tax_id": nit_without_check_digit})
    assert checked["Location"] == reverse("activation_register")
    assert "Almacenes Andinos S.A.S." in person.get(checked["Location"]).content.decode()

    registered = person.post(checked["Location"], registration_data(), follow=True)
    assert registered.redirect_chain == [(reverse("home"), 302)]
    assert registered.context["user"] == User.objects.get(email="ana@norte.example")
    assert registered.context["company"] == supplier.company
    assert "Transportes del Norte S.A.S. is registered." in registered.content.decode()

    invitation.refresh_from_db()
    assert invitation.status == Status.ACCEPTED
    buyer_list = logged_in(alice).get(reverse("supplier_list")).content.decode()
    assert 'class="registered"' in buyer_list
