"""Supplier.registered, the list's copy of `company.registered_at is not None`, kept by the
database triggers of migration 0003 whatever writes the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from suppliernet.network.models import Supplier
from tests.factories import CompanyFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def stored(supplier: Supplier) -> bool:
    return Supplier.objects.values_list("registered", flat=True).get(pk=supplier.pk)


def test_a_new_supplier_of_a_registered_company_is_registered(company_a):
    registered = SupplierFactory(buyer=company_a, company__registered_at=timezone.now())
    unregistered = SupplierFactory(buyer=company_a)
    assert stored(registered) is True
    assert stored(unregistered) is False


def test_registering_marks_the_company_in_every_network(company_a, company_b):
    company = CompanyFactory()
    links = [SupplierFactory(buyer=buyer, company=company) for buyer in (company_a, company_b)]
    other = SupplierFactory(buyer=company_a)
    company.registered_at = timezone.now()
    company.save(update_fields=["registered_at"])  # as registration.registering does
    assert [stored(link) for link in links] == [True, True]
    assert stored(other) is False


def test_saving_a_stale_supplier_object_keeps_it_registered(company_a):
    supplier = SupplierFactory(buyer=company_a)
    company = supplier.company
    company.registered_at = timezone.now()
    company.save()
    supplier.name = "Renamed"
    supplier.save()  # its `registered` in memory is the old False: the trigger wins
    assert stored(supplier) is True


def test_bulk_create_and_raw_inserts_are_covered(company_a):
    company = CompanyFactory(registered_at=timezone.now())
    [supplier] = Supplier.objects.bulk_create(
        [
            Supplier(
                buyer=company_a,
                company=company,
                country=company.country,
                tax_id=company.tax_id,
                name="Bulk",
            )
        ]
    )
    assert stored(supplier) is True
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE network_supplier SET registered = %s WHERE id = %s",
            [False, Supplier._meta.pk.get_db_prep_value(supplier.pk, connection)],
        )
    assert stored(supplier) is True


def test_unregistering_is_copied_too(company_a):
    supplier = SupplierFactory(buyer=company_a, company__registered_at=timezone.now())
    supplier.company.registered_at = None
    supplier.company.save()
    assert stored(supplier) is False
