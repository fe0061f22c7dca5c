from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from suppliernet.invitations import codes
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier
from tests.factories import SupplierFactory
from tests.invitations.factories import InvitationFactory

ACTIVATE = reverse("activate")
REGISTER = reverse("activation_register")
PASSWORD = "tornillo verde cafetal 2027"
WRONG_PAIR = "The activation code and the tax ID do not match."


@dataclass
class Invited:
    invitation: Invitation
    code: str

    @property
    def supplier(self) -> Supplier:
        return self.invitation.supplier


def invite(*, buyer, supplier, email: str = "", **fields) -> Invited:
    """An invitation whose plain code the test knows (flows that send one: test_journey)."""
    code = codes.generate()
    invitation = InvitationFactory(
        buyer=buyer,
        supplier=supplier,
        email=email or supplier.email,
        code_hash=codes.code_hash(code),
        code_hint=codes.hint(code),
        **fields,
    )
    return Invited(invitation, code)


@pytest.fixture
def supplier(company_a):
    """An unregistered Colombian supplier in company A's network."""
    return SupplierFactory(
        buyer=company_a,
        name="Transportes del Norte S.A.S.",
        email="facturas@norte.example",
        address="Calle 80 # 10-20",
        province="Cundinamarca",
        phone="+57 601 555 0101",
    )


@pytest.fixture
def invited(company_a, alice, supplier) -> Invited:
    return invite(buyer=company_a, supplier=supplier)


def activate(client: Client, code: str, tax_id: str, ip: str = "203.0.113.7"):
    return client.post(ACTIVATE, {"code": code, "tax_id": tax_id}, REMOTE_ADDR=ip)


def registration_data(**overrides: str) -> dict[str, str]:
    return {
        "legal_name": "Transportes del Norte S.A.S.",
        "address": "Calle 80 # 10-20",
        "city": "Bogotá",
        "province": "Cundinamarca",
        "postal_code": "",
        "phone": "+57 601 555 0101",
        "full_name": "Ana Gómez",
        "email": "ana@norte.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def register(client: Client, invited: Invited, **overrides: str):
    """Code and tax ID, then the registration form; returns the form's response."""
    assert activate(client, invited.code, invited.supplier.tax_id).status_code == 302
    return client.post(REGISTER, registration_data(**overrides))
