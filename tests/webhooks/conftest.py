from __future__ import annotations

import pytest

from suppliernet.webhooks.models import Event
from tests.webhooks.factories import WebhookEndpointFactory
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A running HTTP receiver; private targets allowed, as in development."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(company_a, receiver):
    """Company A's endpoint for every event, at the test receiver."""
    return WebhookEndpointFactory(company=company_a, url=receiver.url, events=Event.values)
