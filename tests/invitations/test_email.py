"""The invitation e-mail as the supplier receives it, through the outbox worker and a real
SMTP server."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from suppliernet.invitations import codes
from suppliernet.invitations.models import Status
from suppliernet.invitations.sending import find_invitation_by_code, invite_supplier
from suppliernet.outbox.delivery import deliver_due
from tests.factories import CompanyFactory, SupplierFactory

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def parts(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_the_email_has_text_and_html_with_a_working_code_expiry_and_link(
    smtp_server, company_a, alice, supplier
):
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=["ana@norte.example"], by=alice
    )
    deliver_due()

    [message] = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"] == "ana@norte.example"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Date"] and message["Message-ID"]
    text, html = parts(message)
    [code] = set(CODE.findall(text))
    assert find_invitation_by_code(code) == invitation
    assert find_invitation_by_code(codes.generate()) is None
    assert code in html
    assert "Almacenes Andinos S.A.S." in text and "Almacenes Andinos S.A.S." in html
    with translation.override("es"):
        expiry = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    assert re.fullmatch(r"\d{1,2} de \w+ de \d{4}", expiry)  # Spanish: a CO supplier
    assert expiry in text and expiry in html
    link = f"{settings.SITE_URL}/activate/?code={code}"
    assert link in text and f'href="{link}"' in html
    assert "<img" not in html and "background-image" not in html
    assert "replaces" not in text


def test_delivery_marks_the_invitation_sent_with_its_message_id(
    smtp_server, company_a, alice, supplier
):
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice
    )
    assert invitation.status == Status.QUEUED
    deliver_due()
    invitation.refresh_from_db()
    assert invitation.status == Status.SENT
    assert invitation.sent_at is not None
    assert invitation.message_id == smtp_server.messages[0]["Message-ID"]


def test_language_follows_the_suppliers_country(smtp_server, company_a, alice):
    american = SupplierFactory(
        buyer=company_a, company=CompanyFactory(country="US", tax_id="123456789")
    )
    chilean = SupplierFactory(
        buyer=company_a, company=CompanyFactory(country="CL", tax_id="760864285")
    )
    [english] = invite_supplier(
        buyer=company_a, supplier=american, emails=["a@us.example"], by=alice
    )
    [spanish] = invite_supplier(
        buyer=company_a, supplier=chilean, emails=["b@cl.example"], by=alice
    )
    assert (english.language, spanish.language) == ("en", "es")
    assert (english.mail.language, spanish.mail.language) == ("en", "es")


def test_a_550_marks_the_invitation_failed_with_the_servers_reason_on_the_list(
    smtp_server, alice_client, company_a, alice, supplier
):
    smtp_server.reject("gone@norte.example")
    invite_supplier(
        buyer=company_a,
        supplier=supplier,
        emails=["gone@norte.example", "ana@norte.example"],
        by=alice,
    )
    deliver_due()
    failed = supplier.invitations.get(email="gone@norte.example")
    delivered = supplier.invitations.get(email="ana@norte.example")
    assert failed.status == Status.FAILED
    assert "Mailbox unavailable" in failed.failure_reason and failed.failed_at
    assert delivered.status == Status.SENT
    assert [m["To"] for m in smtp_server.messages] == ["ana@norte.example"]
    html = alice_client.get(reverse("invitation_list")).content.decode()
    assert "Failed: 550 5.1.1 Mailbox unavailable" in html


def test_a_temporary_failure_leaves_the_invitation_queued(smtp_server, company_a, alice, supplier):
    smtp_server.defer(1)
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice
    )
    deliver_due()
    invitation.refresh_from_db()
    assert invitation.status == Status.QUEUED
