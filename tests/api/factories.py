"""API tokens for tests that only need one in place; flows go through `tokens`."""

from __future__ import annotations

import secrets

import factory

from suppliernet.api.models import ApiToken, TokenRole
from suppliernet.api.tokens import token_hash


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    company = factory.SubFactory("tests.factories.CompanyFactory")
    name = factory.Sequence(lambda n: f"token {n}")
    role = TokenRole.ADMIN
    prefix = "snt_abcdef"
    token_hash = factory.LazyFunction(lambda: token_hash(secrets.token_urlsafe(32)))
