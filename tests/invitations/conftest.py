from __future__ import annotations

import pytest

from suppliernet.invitations.models import Invitation
from tests.factories import CompanyFactory, SupplierFactory


@pytest.fixture
def supplier(company_a):
    """An unregistered Colombian supplier of company A."""
    return SupplierFactory(
        buyer=company_a, name="Transportes del Norte S.A.S.", email="facturas@norte.example"
    )


@pytest.fixture
def registered_supplier(company_a):
    company = CompanyFactory(registered_at="2026-01-01T00:00Z")
    return SupplierFactory(buyer=company_a, company=company, name="Papelería Ñandú")


def code_of(invitation: Invitation) -> str:
    """The plain code, as it travels to the worker in the invitation's outgoing message."""
    invitation.mail.refresh_from_db()
    return invitation.mail.context["code"]
