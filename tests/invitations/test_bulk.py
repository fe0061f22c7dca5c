"""invite_suppliers at the size of an import: a bounded number of queries, not one per
supplier."""

from __future__ import annotations

import pytest

from suppliernet.companies.models import Company
from suppliernet.invitations.models import Invitation
from suppliernet.invitations.sending import CHUNK, Skip, invite_suppliers
from suppliernet.network.models import Supplier
from suppliernet.outbox.models import OutgoingMail
from tests.factories import colombian_nit


def many_suppliers(buyer: Company, count: int, *, registered_every: int = 0) -> None:
    companies = Company.objects.bulk_create(
        [
            Company(
                country="CO",
                tax_id=colombian_nit(500_000 + n),
                legal_name=f"Proveedor {n}",
                registered_at="2026-01-01T00:00Z"
                if registered_every and n % registered_every == 0
                else None,
            )
            for n in range(count)
        ]
    )
    Supplier.objects.bulk_create(
        [
            Supplier(
                buyer=buyer,
                company=company,
                country="CO",
                tax_id=company.tax_id,
                name=company.legal_name,
                name_folded=company.legal_name.lower(),
                email=f"facturas{n}@proveedor.example",
            )
            for n, company in enumerate(companies)
        ]
    )


def test_inviting_5000_suppliers_takes_a_bounded_number_of_queries(
    company_a, alice, django_assert_max_num_queries
):
    many_suppliers(company_a, 5000, registered_every=10)
    chunks = 5000 // CHUNK
    # Per chunk: read, registered companies, expiry, open invitations, savepoint, one
    # executemany of invitations and one of their outgoing e-mails.
    with django_assert_max_num_queries(chunks * 8 + 5):
        report = invite_suppliers(
            buyer=company_a, suppliers=Supplier.objects.for_company(company_a), by=alice
        )
    assert report.invited_count == 4500
    assert len(report.skipped[Skip.REGISTERED]) == 500
    assert Invitation.objects.count() == OutgoingMail.objects.count() == 4500
    assert Invitation.objects.filter(mail__isnull=True).count() == 0


@pytest.mark.parametrize("count", [1, 999, 1001])
def test_chunk_edges_invite_everyone_once(company_a, alice, count):
    many_suppliers(company_a, count)
    suppliers = Supplier.objects.for_company(company_a)
    assert invite_suppliers(buyer=company_a, suppliers=suppliers, by=alice).invited_count == count
    again = invite_suppliers(buyer=company_a, suppliers=suppliers, by=alice)
    assert (again.invited_count, len(again.skipped[Skip.INVITED])) == (0, count)
    assert len(set(Invitation.objects.values_list("code_hash", flat=True))) == count
