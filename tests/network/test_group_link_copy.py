"""SupplierGroupLink.name_folded, the list's copy of the supplier's folded name on each of its
group links, kept by the database triggers of migration 0004 whatever writes the rows; and the
group filter's pages, whose keys come from it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliernet.bulk import insert_rows
from suppliernet.network.models import Supplier, SupplierGroupLink
from suppliernet.network.suppliers import SupplierDetails, update_supplier
from tests.factories import SupplierFactory, SupplierGroupFactory

pytestmark = pytest.mark.django_db
LIST = reverse("supplier_list")


def copies(supplier: Supplier) -> list[str]:
    return list(
        SupplierGroupLink.objects.filter(supplier=supplier).values_list("name_folded", flat=True)
    )


def statuses(supplier: Supplier) -> list[bool]:
    links = SupplierGroupLink.objects.filter(supplier=supplier)
    return list(links.values_list("registered", flat=True))


def test_groups_set_copies_the_name(company_a):
    groups = [SupplierGroupFactory(buyer=company_a) for _ in range(2)]
    supplier = SupplierFactory(buyer=company_a, name="Ñandú Ltda", groups=groups)
    assert copies(supplier) == ["nandu ltda", "nandu ltda"]


def test_renaming_reaches_every_link(company_a, alice):
    supplier = SupplierFactory(
        buyer=company_a, name="Café", groups=[SupplierGroupFactory(buyer=company_a)]
    )
    details = SupplierDetails(name="Óptica Sur", groups=[g.name for g in supplier.groups.all()])
    update_supplier(supplier=supplier, details=details, by=alice)
    assert copies(supplier) == ["optica sur"]
    Supplier.objects.filter(pk=supplier.pk).update(name_folded="queryset update")
    assert copies(supplier) == ["queryset update"]


def test_registering_reaches_every_link(company_a):
    group = SupplierGroupFactory(buyer=company_a)
    supplier = SupplierFactory(buyer=company_a, groups=[group])
    joined_later = SupplierFactory(buyer=company_a, company__registered_at=timezone.now())
    assert statuses(supplier) == [False]
    company = supplier.company
    company.registered_at = timezone.now()
    company.save(update_fields=["registered_at"])  # as registration.registering does
    assert statuses(supplier) == [True]
    joined_later.groups.add(group)
    assert statuses(joined_later) == [True]


def test_raw_inserts_and_stale_saves_are_covered(company_a):
    """The imports write links with a raw INSERT naming the two ids only."""
    group = SupplierGroupFactory(buyer=company_a)
    supplier = SupplierFactory(buyer=company_a, name="Ferretería")
    insert_rows(SupplierGroupLink, ("supplier", "suppliergroup"), [(supplier.pk.hex, group.pk)])
    assert copies(supplier) == ["ferreteria"]
    link = SupplierGroupLink.objects.get(supplier=supplier)
    link.name_folded, link.registered = "stale", True
    link.save()
    assert copies(supplier) == ["ferreteria"] and statuses(supplier) == [False]


def names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


@pytest.mark.parametrize("sort", ["name", "-name", "city", "-created"])
def test_group_pages_follow_renames(alice_client, company_a, settings, sort):
    """A group's members far down the alphabet, renamed after joining: every page in order,
    both ways, with the counts; the other filters still apply."""
    settings.SUPPLIERS_PER_PAGE = 2
    group = SupplierGroupFactory(buyer=company_a)
    for n in range(6):
        SupplierFactory(buyer=company_a, name=f"Aaa {n}")  # not in the group
    members = [
        SupplierFactory(buyer=company_a, name=f"Zeta {n}", city="Cali", groups=[group])
        for n in range(5)
    ]
    SupplierFactory(
        buyer=company_a,
        name="Zeta Bogotá",
        city="Cali",
        company__registered_at=timezone.now(),
        groups=[group],
    )
    expected_registered = ["Zeta Bogotá"]
    details = SupplierDetails(name="Beta", city="Cali", groups=[group.name])
    update_supplier(supplier=members[3], details=details, by=None)
    expected = ["Beta", "Zeta 0", "Zeta 1", "Zeta 2", "Zeta 4", "Zeta Bogotá"]
    if sort == "-name":
        expected.reverse()
    if sort == "-created":
        expected = ["Zeta Bogotá", "Zeta 4", "Beta", "Zeta 2", "Zeta 1", "Zeta 0"]
    params = {"group": str(group.pk), "sort": sort}
    shown, url = [], LIST
    while url:
        response = alice_client.get(url, params if url == LIST else None)
        shown += names(response)
        page = response.context["page"]
        url = f"{LIST}?{response.context['query']}&after={page.next_cursor}"
        url = url if page.has_next else None
    assert shown == expected
    last = alice_client.get(LIST, {**params, "page": "last"})
    assert names(last) == expected[-2:]
    assert "6 suppliers" in last.content.decode() and "1 registered" in last.content.decode()
    narrowed = alice_client.get(LIST, {**params, "q": "zeta", "city": "cali"})
    assert names(narrowed) == [n for n in expected if n != "Beta"][:2]
    assert "5 suppliers" in narrowed.content.decode()
    registered = alice_client.get(LIST, {**params, "status": "registered"})
    assert names(registered) == expected_registered
    assert "1 supplier" in registered.content.decode()
    unregistered = alice_client.get(LIST, {**params, "status": "unregistered", "q": "zeta"})
    assert (
        names(unregistered)
        == [n for n in expected if n.startswith("Zeta ") and n != "Zeta Bogotá"][:2]
    )
