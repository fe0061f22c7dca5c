from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from suppliernet.network import listing
from suppliernet.network.models import Supplier
from tests.factories import CompanyFactory, SupplierFactory, SupplierGroupFactory

LIST = reverse("supplier_list")


def names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


@pytest.fixture
def network(company_a):
    logistics = SupplierGroupFactory(buyer=company_a, name="Logística")
    registered = CompanyFactory(tax_id="8600069628", registered_at="2026-01-01T00:00Z")
    return {
        "acme": SupplierFactory(
            buyer=company_a,
            name="Transportes Bogotá S.A.S.",
            city="Bogotá",
            company=CompanyFactory(tax_id="8001972684", legal_name="x"),
            groups=[logistics],
        ),
        "registered": SupplierFactory(
            buyer=company_a, name="Papelería Ñandú", city="Medellín", company=registered
        ),
        "other": SupplierFactory(buyer=company_a, name="Café del Valle", city="Cali"),
    }


def test_list_shows_registered_check_and_invite_button(alice_client, network):
    response = alice_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="registered"') == 1
    assert html.count("button small invite") == 2
    assert "3 suppliers" in html and "1 registered" in html


def test_member_sees_status_but_no_invite_button(bob_client, network):
    html = bob_client.get(LIST).content.decode()
    assert 'class="registered"' in html
    assert "button small invite" not in html
    assert reverse("supplier_add") not in html


@pytest.mark.parametrize(
    "typed", ["800.197.268-4", "800197268-4", "8001972684", "800197268", "800.19"]
)
def test_filter_by_tax_id_in_any_formatting(alice_client, network, typed):
    assert names(alice_client.get(LIST, {"tax_id": typed})) == ["Transportes Bogotá S.A.S."]


def test_filter_by_name_ignores_case_and_accents(alice_client, network):
    assert names(alice_client.get(LIST, {"q": "BOGOTA"})) == ["Transportes Bogotá S.A.S."]
    assert names(alice_client.get(LIST, {"q": "nandu"})) == ["Papelería Ñandú"]


def test_filter_by_city(alice_client, network):
    assert names(alice_client.get(LIST, {"city": "medellin"})) == ["Papelería Ñandú"]


def test_filter_by_status(alice_client, network):
    assert names(alice_client.get(LIST, {"status": "registered"})) == ["Papelería Ñandú"]
    assert sorted(names(alice_client.get(LIST, {"status": "unregistered"}))) == [
        "Café del Valle",
        "Transportes Bogotá S.A.S.",
    ]


def test_filter_by_group(alice_client, network, company_a):
    group = network["acme"].groups.get()
    assert names(alice_client.get(LIST, {"group": str(group.id)})) == ["Transportes Bogotá S.A.S."]


def test_filter_by_another_companys_group_is_rejected(alice_client, network, company_b):
    foreign = SupplierGroupFactory(buyer=company_b)
    response = alice_client.get(LIST, {"group": str(foreign.id)})
    assert response.status_code == 200
    assert names(response) == []
    assert response.context["filters"].errors["group"]


def test_sorting(alice_client, network):
    assert names(alice_client.get(LIST, {"sort": "-name"}))[0] == "Transportes Bogotá S.A.S."
    assert names(alice_client.get(LIST, {"sort": "city"}))[0] == "Transportes Bogotá S.A.S."


def link(html: str, text: str) -> str | None:
    """The href of the pagination link labelled `text`, as a browser would follow it."""
    found = re.search(rf'<a href="(\?[^"]*)"[^>]*>{text}</a>', html)
    return LIST + unescape(found.group(1)) if found else None


def walk(client, url: str, towards: str) -> list[list[str]]:
    """Every page from `url` on, following `towards` ("Next" or "Previous") to the end."""
    pages = []
    while url:
        response = client.get(url)
        pages.append(names(response))
        url = link(response.content.decode(), towards)
        assert len(pages) < 50, "the links go round in circles"
    return pages


@pytest.fixture
def twelve_in_cali(company_a, settings):
    settings.SUPPLIERS_PER_PAGE = 5
    for n in range(12):
        SupplierFactory(buyer=company_a, name=f"Proveedor {n:02d}", city="Cali")
    return [f"Proveedor {n:02d}" for n in range(12)]


def test_pages_keep_filters_in_links_and_reach_every_row(alice_client, twelve_in_cali):
    first = alice_client.get(LIST, {"city": "cali"})
    html = first.content.decode()
    assert names(first) == twelve_in_cali[:5]
    assert "12 suppliers" in html
    assert link(html, "Previous") is None and link(html, "First") is None
    assert link(html, "Next").startswith(LIST + "?city=cali&after=")
    assert walk(alice_client, LIST + "?city=cali", "Next") == [
        twelve_in_cali[:5],
        twelve_in_cali[5:10],
        twelve_in_cali[10:],
    ]


def test_previous_and_last_pages(alice_client, twelve_in_cali):
    last = alice_client.get(LIST, {"city": "cali", "page": "last"})
    html = last.content.decode()
    assert names(last) == twelve_in_cali[7:]
    assert link(html, "Next") is None and link(html, "Last") is None
    assert link(html, "First") == LIST + "?city=cali"
    # Backwards from the end: the first page is whole, not the 2 rows left over.
    assert walk(alice_client, LIST + "?city=cali&page=last", "Previous") == [
        twelve_in_cali[7:],
        twelve_in_cali[2:7],
        twelve_in_cali[:5],
    ]


def test_a_page_link_still_works_after_rows_are_removed(alice_client, company_a, twelve_in_cali):
    second = link(alice_client.get(LIST, {"city": "cali"}).content.decode(), "Next")
    previous = link(alice_client.get(second).content.decode(), "Previous")
    Supplier.objects.filter(name__in=twelve_in_cali[:3]).delete()
    # Less than a page is left before the cursor: the first page instead.
    assert names(alice_client.get(previous)) == twelve_in_cali[3:8]
    assert names(alice_client.get(second)) == twelve_in_cali[5:10]


@pytest.mark.parametrize("cursor", ["", "not-base64!", "bnVsbA", "WyJuYW1lIiwgWzFdXQ"])
def test_a_damaged_cursor_shows_the_first_page(alice_client, twelve_in_cali, cursor):
    assert names(alice_client.get(LIST, {"after": cursor})) == twelve_in_cali[:5]
    assert names(alice_client.get(LIST, {"before": cursor})) == twelve_in_cali[:5]


def test_a_cursor_of_another_sort_shows_that_sorts_first_page(alice_client, twelve_in_cali):
    by_name = link(alice_client.get(LIST).content.decode(), "Next")
    cursor = by_name.split("after=")[1]
    response = alice_client.get(LIST, {"sort": "-name", "after": cursor})
    assert names(response) == twelve_in_cali[::-1][:5]


def sort_key(sort: str):
    def key(supplier: Supplier):
        if sort.lstrip("-") == "name":
            return (supplier.name_folded, supplier.id)
        if sort.lstrip("-") == "tax_id":
            return (supplier.tax_id, supplier.id)
        if sort.lstrip("-") == "city":
            return (supplier.city_folded, supplier.name_folded, supplier.id)
        if sort == "-created":
            return (supplier.created_at, supplier.id)
        return (supplier.last_document_date or date.min, supplier.id)

    return key


@pytest.mark.parametrize("sort", ["name", "-name", "tax_id", "city", "-created", "-last_document"])
def test_every_sort_pages_through_ties_both_ways(alice_client, company_a, settings, sort):
    """Equal names, cities, dates and missing dates: the id breaks ties, so no row is shown
    twice or skipped, forwards or backwards."""
    settings.SUPPLIERS_PER_PAGE = 3
    created = timezone.now()
    for n in range(11):
        supplier = SupplierFactory(
            buyer=company_a,
            name=["Ñandú", "nandu", "Óptica"][n % 3],
            city=["Cali", "Bogotá"][n % 2],
            last_document_date=[None, date(2026, 1, 5), date(2026, 3, 1)][n % 3],
        )
        Supplier.objects.filter(pk=supplier.pk).update(created_at=created - timedelta(days=n % 4))
    stored = Supplier.objects.for_company(company_a)
    expected = sorted(stored, key=sort_key(sort), reverse=sort.startswith("-"))
    ids = [str(s.id) for s in expected]

    def page_ids(url: str, towards: str) -> list[str]:
        pages = []
        while url:
            response = alice_client.get(url)
            pages.append([str(s.id) for s in response.context["page"].object_list])
            url = link(response.content.decode(), towards)
        return pages

    forwards = page_ids(f"{LIST}?sort={sort}", "Next")
    assert [i for page in forwards for i in page] == ids
    backwards = page_ids(f"{LIST}?sort={sort}&page=last", "Previous")
    # Backwards, the pages end on the first page, which may overlap the one after it.
    assert backwards[-1] == ids[:3]
    assert [i for page in reversed(backwards[:-1]) for i in page] == ids[-9:]


def test_counts_beyond_the_limit_say_more_than(alice_client, company_a, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 3)
    registered = CompanyFactory(registered_at=timezone.now())
    SupplierFactory(buyer=company_a, company=registered)
    for _ in range(4):
        SupplierFactory(buyer=company_a)
    html = alice_client.get(LIST).content.decode()
    assert "More than 3 suppliers" in html and "1 registered" in html
    assert "All suppliers matching this filter, more than 3 (every page)" in html
    html = alice_client.get(LIST, {"status": "unregistered"}).content.decode()
    assert "More than 3 suppliers" in html and "0 registered" in html
    html = alice_client.get(LIST, {"status": "registered"}).content.decode()
    assert "1 supplier" in html and "More than" not in html


def test_list_never_shows_another_companys_suppliers(charlie_client, network):
    response = charlie_client.get(LIST)
    assert names(response) == []
    assert "0 suppliers" in response.content.decode()


def test_spanish_labels(alice_client, network):
    alice_client.post(reverse("switch_language"), {"language": "es", "next": LIST})
    html = alice_client.get(LIST).content.decode()
    for label in ("Proveedores", "Invitar", "Agregar Proveedor", "Registrado"):
        assert label in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("value", ["", "1", None, "unknown"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_group", "required": True, "disabled": False}])
def test_list_select_renders_as_djangos_select(value, attrs):
    choices = [("", "All groups"), ("1", 'Grupo <1> & "q"'), ("2", "Ñandú")]
    expected = forms.Select(choices=choices).render("group", value, attrs)
    assert listing.ListSelect(choices=choices).render("group", value, attrs) == expected
