"""Outbox rows and mail specs for tests; templates in tests/outbox/templates."""

from __future__ import annotations

import factory

from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.queueing import MailSpec

GREETING = "outbox_test/greeting"


def greeting(to: str = "ana@proveedor.example", **context: str) -> MailSpec:
    return MailSpec(
        to=to,
        template=GREETING,
        context={
            "name": "Ana",
            "company": "Almacenes Andinos S.A.S.",
            "code": "K7QM-4X2P-9HDT",
            "url": "http://testserver/activate/?code=K7QM-4X2P-9HDT",
            **context,
        },
        language="en",
        purpose="test",
    )


def greetings(count: int) -> list[MailSpec]:
    return [greeting(to=f"supplier{n}@proveedor.example") for n in range(count)]


class OutgoingMailFactory(factory.django.DjangoModelFactory):
    """A pre-rendered message, as Django's mail API leaves it."""

    class Meta:
        model = OutgoingMail

    to = factory.Sequence(lambda n: f"someone{n}@proveedor.example")
    from_email = "SupplierNet <no-reply@suppliernet.local>"
    purpose = "test"
    language = "en"
    subject = factory.Sequence(lambda n: f"Message {n}")
    text = "Plain text part"
    html = "<p>HTML part</p>"
    status = MailStatus.SENT
