from __future__ import annotations

import os

import pytest
from django.test import Client

from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.smtp import smtp_server  # noqa: F401  (a real SMTP server for every app's tests)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def company_a(db):
    return CompanyFactory(country="CO", tax_id="9001234568", legal_name="Almacenes Andinos S.A.S.")


@pytest.fixture
def company_b(db):
    return CompanyFactory(country="CL", tax_id="760864285", legal_name="Comercial Austral SpA")


@pytest.fixture
def alice(company_a):
    """Admin of company A."""
    return MembershipFactory(company=company_a, role="admin", user__email="alice@a.example").user


@pytest.fixture
def bob(company_a):
    """Read-only member of company A."""
    return MembershipFactory(company=company_a, role="member", user__email="bob@a.example").user


@pytest.fixture
def charlie(company_b):
    """Admin of company B: must never see anything of A."""
    return MembershipFactory(company=company_b, role="admin", user__email="charlie@b.example").user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def alice_client(alice):
    return logged_in(alice)


@pytest.fixture
def bob_client(bob):
    return logged_in(bob)


@pytest.fixture
def charlie_client(charlie):
    return logged_in(charlie)


@pytest.fixture
def nobody():
    return UserFactory(email="nobody@x.example")


@pytest.fixture(autouse=True, scope="session")
def _postgres_when_required(django_db_setup, django_db_blocker):
    """CI sets REQUIRE_POSTGRES so that a misread DATABASE_URL cannot quietly test SQLite."""
    from django.db import connection

    if os.environ.get("REQUIRE_POSTGRES"):
        assert connection.vendor == "postgresql", connection.vendor
