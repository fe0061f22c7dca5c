from __future__ import annotations

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.test import Client
from django.urls import reverse

from suppliernet.companies.people import add_colleague
from suppliernet.outbox.delivery import deliver_due
from suppliernet.outbox.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox_backend(settings):
    # pytest-django swaps EMAIL_BACKEND for locmem; these tests need the real setting back.
    settings.EMAIL_BACKEND = "suppliernet.outbox.backends.OutboxBackend"


def test_password_reset_email_goes_through_the_outbox(alice, smtp_server):
    client = Client()
    client.post(reverse("password_reset"), {"email": "alice@a.example"})

    mail = OutgoingMail.objects.get()
    assert (mail.to, mail.purpose, mail.status, mail.company) == (
        "alice@a.example",
        "django",
        MailStatus.QUEUED,
        None,
    )
    assert smtp_server.messages == [], "nothing is sent in the web request"

    assert deliver_due().sent == 1
    [message] = smtp_server.messages
    assert message["Message-ID"] == mail.message_id
    link = next(line for line in message.get_content().splitlines() if "/password/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()


def test_colleague_email_is_written_with_the_membership(alice, company_a):
    add_colleague(company=company_a, email="dora@a.example", role="member", by=alice)
    mail = OutgoingMail.objects.get()
    assert mail.to == "dora@a.example"
    assert company_a.legal_name in mail.subject
    assert "/password/reset/" in mail.text


def test_no_colleague_email_when_adding_the_colleague_rolls_back(alice, company_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_colleague(company=company_a, email="dora@a.example", role="member", by=alice)
        raise RuntimeError("something later in the same request failed")
    assert not OutgoingMail.objects.exists()


def test_each_recipient_gets_its_own_row_with_both_parts(settings):
    message = EmailMultiAlternatives(
        subject="Report",
        body="Plain",
        to=["a@x.example", "b@x.example"],
        cc=["c@x.example"],
        reply_to=["help@x.example"],
    )
    message.attach_alternative("<p>Rich</p>", "text/html")
    assert message.send() == 1
    rows = OutgoingMail.objects.order_by("to")
    assert [row.to for row in rows] == ["a@x.example", "b@x.example", "c@x.example"]
    for row in rows:
        assert (row.subject, row.text, row.html, row.template) == (
            "Report",
            "Plain",
            "<p>Rich</p>",
            "",
        )
        assert row.reply_to == "help@x.example"
        assert row.from_email == settings.DEFAULT_FROM_EMAIL


def test_an_html_only_message_gets_a_text_part():
    message = EmailMessage(subject="Hi", body="<p>Hello <b>there</b></p>", to=["a@x.example"])
    message.content_subtype = "html"
    message.send()
    row = OutgoingMail.objects.get()
    assert (row.text, row.html) == ("Hello there", "<p>Hello <b>there</b></p>")


def test_attachments_are_refused_with_a_clear_message():
    message = EmailMessage(subject="Hi", body="Body", to=["a@x.example"])
    message.attach("list.csv", "a,b\n", "text/csv")
    with pytest.raises(ValueError, match="does not carry attachments"):
        message.send()
    assert not OutgoingMail.objects.exists()
