"""The company's home page: the buyers that list it, its users, its own suppliers."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import logged_in
from tests.factories import CompanyFactory, MembershipFactory, SupplierFactory

HOME = reverse("home")


def test_home_lists_the_buyers_that_list_the_company_by_name_only(company_a, company_b):
    supplier_side = CompanyFactory(legal_name="Norte S.A.S.")
    admin = MembershipFactory(company=supplier_side, role="admin", user__email="ana@norte.example")
    MembershipFactory(company=supplier_side, role="member", user__email="luis@norte.example")
    SupplierFactory(buyer=company_a, company=supplier_side, description="Pays late, watch it")
    html = logged_in(admin.user).get(HOME).content.decode()
    assert "Almacenes Andinos S.A.S." in html
    assert "Comercial Austral SpA" not in html  # company B does not list it
    assert "Pays late" not in html  # the buyer's own notes stay the buyer's
    assert "ana@norte.example" in html and "luis@norte.example" in html
    assert "Member (read only)" in html
    assert reverse("company_users") in html
    assert "suppliers in your network" not in html


def test_the_buyer_with_suppliers_sees_its_count_on_home(alice_client, company_a):
    SupplierFactory.create_batch(3, buyer=company_a)
    html = alice_client.get(HOME).content.decode()
    assert "3 suppliers in your network" in html
    assert reverse("supplier_list") in html
