"""Invite Selected on the Suppliers list, and the bulk rule behind it (also the import's
Notify=1)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from suppliernet.audit.models import AuditEntry
from suppliernet.invitations.models import Invitation
from suppliernet.invitations.sending import Skip, invite_supplier, invite_suppliers
from suppliernet.network.models import Supplier
from suppliernet.outbox.models import OutgoingMail
from tests.factories import SupplierFactory

INVITE_SELECTED = reverse("invite_selected")
LIST = reverse("supplier_list")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def mixed(company_a, alice, supplier, registered_supplier):
    """One to invite, one registered, one without e-mail, one already invited."""
    invited = SupplierFactory(buyer=company_a, name="Café del Valle", email="cafe@valle.example")
    invite_supplier(buyer=company_a, supplier=invited, emails=[invited.email], by=alice)
    return {
        "new": supplier,
        "registered": registered_supplier,
        "no_email": SupplierFactory(buyer=company_a, name="Sin Correo", email=""),
        "invited": invited,
    }


def test_invite_selected_invites_and_reports_what_it_skipped(alice_client, mixed):
    response = alice_client.post(
        INVITE_SELECTED,
        {"supplier": [str(s.id) for s in mixed.values()], "query": "status=unregistered"},
        follow=True,
    )
    assert response.redirect_chain == [(f"{LIST}?status=unregistered", 302)]
    assert messages_of(response) == [
        "1 invited · 3 skipped: 1 already registered, 1 already invited, 1 without e-mail"
    ]
    assert list(mixed["new"].invitations.values_list("email", flat=True)) == [
        "facturas@norte.example"
    ]
    assert Invitation.objects.count() == 2


def test_the_report_says_which_supplier_was_skipped_why(company_a, alice, mixed):
    report = invite_suppliers(buyer=company_a, suppliers=list(mixed.values()), by=alice)
    assert [i.supplier_id for i in report.invited] == [mixed["new"].id]
    assert report.skipped == {
        Skip.REGISTERED: [mixed["registered"].id],
        Skip.NO_EMAIL: [mixed["no_email"].id],
        Skip.INVITED: [mixed["invited"].id],
    }
    assert (report.invited_count, report.skipped_count) == (1, 3)
    entry = AuditEntry.objects.get(action="invitation.created_in_bulk")
    assert entry.summary == report.summary()


def test_summary_without_skips_and_with_plurals(company_a, alice):
    suppliers = SupplierFactory.create_batch(37, buyer=company_a)
    assert invite_suppliers(buyer=company_a, suppliers=suppliers, by=alice).summary() == (
        "37 invited"
    )
    again = invite_suppliers(buyer=company_a, suppliers=suppliers, by=alice)
    assert again.summary() == "0 invited · 37 skipped: 37 already invited"


def test_nothing_selected_says_so(alice_client, supplier):
    response = alice_client.post(INVITE_SELECTED, {}, follow=True)
    assert messages_of(response) == ["Select at least one supplier."]
    assert not Invitation.objects.exists()


def test_another_companys_supplier_cannot_be_selected(alice_client, company_b, supplier):
    foreign = SupplierFactory(buyer=company_b)
    response = alice_client.post(
        INVITE_SELECTED, {"supplier": [str(supplier.id), str(foreign.id)]}, follow=True
    )
    assert "Select a valid choice" in messages_of(response)[0]
    assert not Invitation.objects.exists()


def test_invite_suppliers_refuses_another_buyers_supplier(company_a, company_b, alice):
    foreign = SupplierFactory(buyer=company_b)
    with pytest.raises(ValueError):
        invite_suppliers(buyer=company_a, suppliers=[foreign], by=alice)
    # A queryset is narrowed to the buyer instead.
    report = invite_suppliers(buyer=company_a, suppliers=Supplier.objects.all(), by=alice)
    assert report.invited_count == 0 and not OutgoingMail.objects.exists()


def test_select_all_matching_covers_every_page_of_the_filter_only(
    alice_client, company_a, company_b, settings
):
    settings.SUPPLIERS_PER_PAGE = 5
    in_cali = [SupplierFactory(buyer=company_a, city="Cali") for _ in range(12)]
    SupplierFactory.create_batch(3, buyer=company_a, city="Medellín")
    SupplierFactory.create_batch(4, buyer=company_b, city="Cali")
    page = alice_client.get(LIST, {"city": "cali"}).content.decode()
    assert "All 12 suppliers matching this filter" in page
    assert 'name="query" value="city=cali"' in page

    response = alice_client.post(
        INVITE_SELECTED,
        {"all_matching": "1", "query": "city=cali", "supplier": [str(in_cali[0].id)]},
        follow=True,
    )
    assert messages_of(response) == ["12 invited"]
    assert set(Invitation.objects.values_list("supplier_id", flat=True)) == {s.id for s in in_cali}
    assert not Invitation.objects.filter(buyer=company_b).exists()
    assert set(OutgoingMail.objects.values_list("company_id", flat=True)) == {company_a.id}


def test_select_all_with_a_foreign_group_filter_is_refused(alice_client, company_b, supplier):
    from tests.factories import SupplierGroupFactory

    foreign_group = SupplierGroupFactory(buyer=company_b)
    response = alice_client.post(
        INVITE_SELECTED, {"all_matching": "1", "query": f"group={foreign_group.id}"}, follow=True
    )
    assert messages_of(response) == ["The list's filter is not valid any more."]
    assert not Invitation.objects.exists()


def test_the_list_has_checkboxes_and_invite_selected_for_admins_only(
    alice_client, bob_client, supplier
):
    admin_page = alice_client.get(LIST).content.decode()
    assert f'name="supplier" value="{supplier.id}"' in admin_page
    assert "Invite Selected" in admin_page and INVITE_SELECTED in admin_page
    member_page = bob_client.get(LIST).content.decode()
    assert 'name="supplier"' not in member_page and "Invite Selected" not in member_page


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_a_large_selection_is_invited_by_the_worker(alice_client, company_a, smtp_server, settings):
    settings.INVITE_IN_BACKGROUND_ABOVE = 3
    suppliers = [SupplierFactory(buyer=company_a, city="Cali") for _ in range(5)]
    response = alice_client.post(
        INVITE_SELECTED, {"all_matching": "1", "query": "city=cali"}, follow=True
    )
    assert messages_of(response) == [
        "5 suppliers are being invited in the background; the Invitations page lists each "
        "invitation as it is created."
    ]
    assert not Invitation.objects.exists()

    call_command("db_worker", batch=True, interval=0, verbosity=0)

    assert set(Invitation.objects.values_list("supplier_id", flat=True)) == {
        s.id for s in suppliers
    }
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(s.email for s in suppliers)
    entry = AuditEntry.objects.get(action="invitation.created_in_bulk")
    assert entry.summary == "5 invited"
