from __future__ import annotations

import factory

from suppliernet.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from suppliernet.webhooks.signing import new_secret


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    company = factory.SubFactory("tests.factories.CompanyFactory")
    url = "https://erp.example.com/hooks"
    secret = factory.LazyFunction(new_secret)
    events = factory.LazyFunction(lambda: list(Event.values))


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    company = factory.SelfAttribute("endpoint.company")
    event = Event.INVITATION_SENT
    payload = factory.LazyFunction(lambda: {"type": "invitation.sent", "data": {}})
