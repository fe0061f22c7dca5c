from __future__ import annotations

import pytest
from django.urls import reverse

from suppliernet.outbox.models import MailStatus
from suppliernet.outbox.queueing import queue_mail
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.outbox.factories import OutgoingMailFactory, greeting

LIST = reverse("outbox_list")


@pytest.fixture
def mails(company_a, company_b):
    return {
        "a": OutgoingMailFactory(company=company_a, subject="For A's supplier"),
        "a_failed": OutgoingMailFactory(
            company=company_a,
            subject="Bounced",
            status=MailStatus.FAILED,
            last_error="550 5.1.1 Mailbox unavailable",
            attempts=1,
        ),
        "b": OutgoingMailFactory(company=company_b, subject="For B's supplier"),
        "none": OutgoingMailFactory(company=None, subject="Reset your SupplierNet password"),
    }


@pytest.fixture
def staff_client(db):
    return logged_in(UserFactory(email="staff@suppliernet.example", is_staff=True))


def test_staff_see_every_message(staff_client, mails):
    html = staff_client.get(LIST).content.decode()
    for subject in ("For A's supplier", "For B's supplier", "Reset your SupplierNet password"):
        assert subject.replace("'", "&#x27;") in html


def test_a_company_admin_sees_only_the_companys_messages(alice_client, mails):
    page = alice_client.get(LIST)
    shown = {mail.subject for mail in page.context["page"].object_list}
    assert shown == {"For A's supplier", "Bounced"}


def test_filter_by_status_shows_the_failure_reason(alice_client, mails):
    page = alice_client.get(LIST, {"status": "failed"})
    assert [mail.subject for mail in page.context["page"].object_list] == ["Bounced"]
    assert "550 5.1.1 Mailbox unavailable" in page.content.decode()


def test_members_may_not_read_the_outbox(bob_client, mails):
    assert bob_client.get(LIST).status_code == 403
    assert bob_client.get(mails["a"].get_absolute_url()).status_code == 403


def test_another_companys_message_is_not_found(alice_client, mails):
    assert alice_client.get(mails["b"].get_absolute_url()).status_code == 404
    assert alice_client.get(reverse("outbox_html", args=[mails["b"].id])).status_code == 404
    assert alice_client.get(mails["none"].get_absolute_url()).status_code == 404


def test_detail_shows_the_text_with_clickable_links_and_never_the_raw_html(alice_client, company_a):
    mail = OutgoingMailFactory(
        company=company_a,
        text="Activate: http://testserver/activate/?code=K7QM",
        html='<p>Hi</p><script>alert("x")</script>',
    )
    html = alice_client.get(mail.get_absolute_url()).content.decode()
    assert '<a href="http://testserver/activate/?code=K7QM"' in html
    assert "<script>alert" not in html
    assert reverse("outbox_html", args=[mail.id]) in html


def test_the_html_part_is_served_sandboxed_with_nothing_allowed_to_load(alice_client, company_a):
    mail = OutgoingMailFactory(company=company_a, html='<p style="color:red">Hi</p>')
    response = alice_client.get(reverse("outbox_html", args=[mail.id]))
    assert response.status_code == 200
    assert response.content.decode() == '<p style="color:red">Hi</p>'
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'unsafe-inline'")
    assert "sandbox" in policy and "allow-scripts" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_mail_not_sent_yet_shows_a_preview(alice_client, company_a):
    spec = greeting()
    spec.company = company_a
    mail = queue_mail(spec)
    page = alice_client.get(mail.get_absolute_url())
    assert page.context["content"].subject == "Suppliers: Almacenes Andinos S.A.S. invites Ana"
    assert "preview" in page.content.decode()
    assert alice_client.get(reverse("outbox_html", args=[mail.id])).status_code == 200


def test_admins_find_the_outbox_in_the_menu(alice_client, bob_client, db):
    assert LIST in alice_client.get(reverse("supplier_list")).content.decode()
    assert LIST not in bob_client.get(reverse("supplier_list")).content.decode()


def test_a_company_admin_cannot_read_an_activation_code(alice_client, staff_client, company_a):
    mail = OutgoingMailFactory(
        company=company_a, subject="Invitation", text="Your code: K7QM-4X2P-9HDT", confidential=True
    )
    page = alice_client.get(reverse("outbox_detail", args=[mail.id]))
    assert page.status_code == 200
    assert "K7QM-4X2P-9HDT" not in page.content.decode()
    assert "only SupplierNet staff" in page.content.decode()
    assert alice_client.get(reverse("outbox_html", args=[mail.id])).status_code == 403
    assert (
        "K7QM-4X2P-9HDT"
        in staff_client.get(reverse("outbox_detail", args=[mail.id])).content.decode()
    )
