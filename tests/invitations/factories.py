"""Invitations for tests that need one already in place; flows go through `sending`."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from suppliernet.invitations import codes
from suppliernet.invitations.models import Invitation, Status
from tests.factories import SupplierFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    supplier = factory.SubFactory(SupplierFactory, buyer=factory.SelfAttribute("..buyer"))
    buyer = factory.SubFactory("tests.factories.CompanyFactory")
    email = factory.SelfAttribute("supplier.email")
    language = "es"
    status = Status.SENT
    code_hash = factory.LazyFunction(lambda: codes.code_hash(codes.generate()))
    code_hint = "9HDT"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    sent_at = factory.LazyFunction(timezone.now)
