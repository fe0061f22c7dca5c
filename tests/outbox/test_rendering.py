from __future__ import annotations

import pytest
from django.template import TemplateDoesNotExist

from suppliernet.outbox.models import OutgoingMail
from suppliernet.outbox.queueing import queue_mail
from suppliernet.outbox.rendering import render_mail
from tests.outbox.factories import GREETING, greeting

CONTEXT = {"name": "Ana", "company": "Pérez & Hijos <Ltda>", "code": "K7QM", "url": "http://x/"}


def test_text_parts_are_not_html_escaped_and_the_html_part_is():
    mail = render_mail(GREETING, CONTEXT, language="en")
    assert mail.subject == "Suppliers: Pérez & Hijos <Ltda> invites Ana"
    assert "Pérez & Hijos <Ltda> invites you" in mail.text
    assert "Pérez &amp; Hijos &lt;Ltda&gt; invites you" in mail.html


def test_mail_is_rendered_in_the_language_asked_for():
    assert render_mail(GREETING, CONTEXT, language="es").subject.startswith("Proveedores:")
    assert render_mail(GREETING, CONTEXT, language="en").subject.startswith("Suppliers:")


@pytest.mark.django_db
def test_queueing_refuses_a_context_that_is_not_json():
    from datetime import date

    spec = greeting()
    spec.context["expires"] = date(2027, 1, 31)
    with pytest.raises(TypeError, match=r"ana@proveedor\.example.*must be plain JSON"):
        queue_mail(spec)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_queueing_refuses_a_template_that_does_not_exist():
    spec = greeting()
    spec.template = "outbox_test/typo"
    with pytest.raises(TemplateDoesNotExist):
        queue_mail(spec)
