"""The public code + tax ID page: no oracle before the pair matches, attempt limits, and the
code out of URLs."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter
from stdnum.co import nit

from suppliernet.companies.models import Company, User
from suppliernet.invitations import codes
from suppliernet.invitations.models import Status
from suppliernet.invitations.sending import resend_invitation
from suppliernet.registration import views
from tests.factories import CompanyFactory, SupplierFactory
from tests.registration.conftest import (
    ACTIVATE,
    REGISTER,
    WRONG_PAIR,
    activate,
    invite,
    register,
)


def test_the_email_link_moves_the_code_into_the_session_and_out_of_the_url(client, invited):
    response = client.get(f"{ACTIVATE}?code={invited.code}")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    page = client.get(response["Location"])
    html = page.content.decode()
    assert f'value="{invited.code}"' in html  # prefilled in the form, not in any URL
    assert invited.code not in page.request["PATH_INFO"] + page.request.get("QUERY_STRING", "")
    assert page["Cache-Control"].startswith("max-age=0")
    assert invited.invitation.buyer.legal_name not in html  # nothing is told before the pair


def test_the_form_posts_without_the_code_in_its_url_and_forgets_it_once_checked(client, invited):
    client.get(f"{ACTIVATE}?code={invited.code}")
    assert 'action="/activate/"' in client.get(ACTIVATE).content.decode()
    response = activate(client, invited.code, invited.supplier.tax_id)
    assert response["Location"] == REGISTER
    page = client.get(REGISTER).content.decode()
    assert invited.code not in page
    assert invited.code not in str(dict(client.session))


def test_the_right_pair_shows_who_invited(client, invited):
    activate(client, invited.code, invited.supplier.tax_id)
    html = client.get(REGISTER).content.decode()
    assert "Invited by <strong>Almacenes Andinos S.A.S.</strong>" in html


@pytest.mark.parametrize(
    "typed",
    [
        "{base}",  # the 9-digit company NIT without its check digit
        "{base}-{dv}",
        "{dotted} - {dv}",
        " {base} {dv} ",
        "{base}{dv}",
    ],
)
def test_the_nit_is_accepted_in_any_formatting_with_or_without_check_digit(client, invited, typed):
    number = invited.supplier.company.tax_id
    base, dv = number[:-1], number[-1]
    text = typed.format(base=base, dv=dv, dotted=nit.format(number).rsplit("-", 1)[0])
    assert activate(client, invited.code, text)["Location"] == REGISTER


def test_an_eight_digit_nit_typed_without_check_digit_is_accepted(client, company_a, alice):
    person = "12345678" + nit.calc_check_digit("12345678")
    company = CompanyFactory(country="CO", tax_id=person)
    invited = invite(buyer=company_a, supplier=SupplierFactory(buyer=company_a, company=company))
    assert activate(client, invited.code, "12.345.678")["Location"] == REGISTER


def _answers(client, code: str, tax_id: str, ip: str) -> tuple[int, str]:
    response = activate(client, code, tax_id, ip=ip)
    html = response.content.decode()
    start = html.index('<div class="form-errors"')
    return response.status_code, html[start : html.index("</div>", start)]


def test_wrong_expired_revoked_used_and_replaced_codes_and_wrong_tax_ids_look_the_same(
    client, company_a, alice, invited
):
    supplier = invited.supplier
    other_tax_id = "900.373.115-1"
    expired = invite(
        buyer=company_a,
        supplier=supplier,
        email="vencido@norte.example",
        expires_at=timezone.now() - timedelta(days=1),
    )
    revoked = invite(
        buyer=company_a, supplier=supplier, email="revocado@norte.example", status=Status.REVOKED
    )
    replaced = invite(buyer=company_a, supplier=supplier, email="reenviado@norte.example")
    resend_invitation(invitation=replaced.invitation, by=alice)
    used = invite(
        buyer=company_a, supplier=supplier, email="usado@norte.example", status=Status.ACCEPTED
    )
    attempts = [
        (codes.generate(), supplier.tax_id),  # a code that does not exist
        (invited.code, other_tax_id),  # a good code with another company's tax ID
        (invited.code, "not a tax id"),
        (expired.code, other_tax_id),
        (revoked.code, other_tax_id),
        (used.code, other_tax_id),
        (replaced.code, supplier.tax_id),  # the code a resend replaced: even with the tax ID
    ]
    answers = {
        _answers(client, code, tax_id, ip=f"203.0.113.{n}")
        for n, (code, tax_id) in enumerate(attempts)
    }
    assert len(answers) == 1
    status, html = answers.pop()
    assert status == 400
    assert WRONG_PAIR in html
    assert company_a.legal_name not in html


def test_a_malformed_code_is_named_as_such_without_looking_anything_up(client, invited):
    response = activate(client, "K7QM-4X2P", invited.supplier.tax_id)
    assert response.status_code == 400
    assert "An activation code has 12 letters and digits" in response.content.decode()


def test_nothing_is_written_before_the_pair_matches(client, invited):
    before = (User.objects.count(), Company.objects.filter(registered_at__isnull=False).count())
    activate(client, invited.code, "900.373.115-1")
    client.post(REGISTER, {"legal_name": "X"})  # straight to the form without a checked pair
    after = (User.objects.count(), Company.objects.filter(registered_at__isnull=False).count())
    assert before == after
    invited.invitation.refresh_from_db()
    assert invited.invitation.status == Status.SENT


def test_failures_from_one_ip_address_are_limited_then_a_wait_message(client, invited, settings):
    settings.REGISTRATION_MAX_FAILURES = 5
    settings.REGISTRATION_FAILURE_WINDOW_MINUTES = 15
    for _ in range(5):
        assert activate(client, codes.generate(), "900.373.115-1").status_code == 400
    response = activate(client, invited.code, invited.supplier.tax_id)
    assert response.status_code == 429
    assert "Too many failed attempts. Wait 3 minutes and try again." in response.content.decode()
    # Another address is not affected.
    assert (
        activate(Client(), invited.code, invited.supplier.tax_id, ip="198.51.100.2")["Location"]
        == REGISTER
    )


def test_failures_against_one_invitation_are_limited_across_ip_addresses(client, invited, settings):
    settings.REGISTRATION_MAX_FAILURES = 5
    for n in range(5):
        assert (
            activate(client, invited.code, "900.373.115-1", ip=f"198.51.100.{n}").status_code == 400
        )
    response = activate(client, invited.code, invited.supplier.tax_id, ip="198.51.100.99")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_successful_checks_do_not_count_as_failures(client, invited, settings):
    settings.REGISTRATION_MAX_FAILURES = 2
    for _ in range(4):
        assert activate(client, invited.code, invited.supplier.tax_id)["Location"] == REGISTER


def test_code_tax_id_and_passwords_are_hidden_from_error_reports(invited):
    secrets = {"code": invited.code, "tax_id": "900123456", "password1": "x", "password2": "x"}
    for view, hidden in [
        (views.activate, {"code", "tax_id"}),
        (views.register, {"password1", "password2"}),
    ]:
        request = RequestFactory().post("/activate/", secrets)
        request.session = {}
        request.user = User()
        with contextlib.suppress(Exception):  # only what an error report would show matters
            view(request)
        shown = SafeExceptionReporterFilter().get_post_parameters(request)
        assert {name for name, value in shown.items() if value == secrets[name]} == (
            set(secrets) - hidden
        )


def test_a_checked_pair_is_forgotten_after_an_hour(client, invited, settings):
    activate(client, invited.code, invited.supplier.tax_id)
    session = client.session
    session["activation_checked"]["at"] -= 3601
    session.save()
    response = client.get(REGISTER)
    assert response["Location"] == ACTIVATE


def test_the_used_code_leads_to_already_registered_not_to_the_form(client, invited):
    register(client, invited)
    other = Client()
    response = activate(other, invited.code, invited.supplier.tax_id)
    assert response["Location"] == REGISTER
    assert "is already registered" in other.get(REGISTER).content.decode()


def test_djangos_request_log_lines_show_the_code_masked(invited):
    for name in ("django.server", "django.request"):
        logger = logging.getLogger(name)
        record = logger.makeRecord(
            name,
            logging.INFO,
            __file__,
            1,
            '"GET %s HTTP/1.1" 302 0',
            (f"/activate/?code={invited.code}",),
            None,
        )
        assert logger.filter(record)
        assert record.getMessage() == '"GET /activate/?code=[hidden] HTTP/1.1" 302 0'
