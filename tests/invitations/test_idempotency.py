"""A double click or a repeated POST creates one invitation and answers with the same message."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from suppliernet.invitations.idempotency import new_key
from suppliernet.invitations.models import Invitation, Status
from suppliernet.invitations.sending import invite_supplier
from suppliernet.outbox.models import OutgoingMail
from tests.conftest import logged_in


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_invite_form_posted_twice_invites_once_and_answers_the_same(alice_client, supplier):
    data = {"emails": "facturas@norte.example", "language": "es", "key": new_key()}
    url = reverse("supplier_invite", args=[supplier.id])
    first = alice_client.post(url, data, follow=True)
    second = alice_client.post(url, data, follow=True)
    assert messages_of(first) == messages_of(second)
    assert messages_of(first) == ["The invitation to facturas@norte.example is on its way."]
    assert Invitation.objects.count() == 1 and OutgoingMail.objects.count() == 1


def test_a_new_form_for_an_invited_address_is_refused_by_name(alice_client, supplier):
    url = reverse("supplier_invite", args=[supplier.id])
    alice_client.post(url, {"emails": supplier.email, "language": "es", "key": new_key()})
    response = alice_client.post(
        url, {"emails": supplier.email, "language": "es", "key": new_key()}
    )
    assert response.status_code == 400
    assert "already has an open invitation" in response.context["form"].errors["emails"][0]
    assert Invitation.objects.count() == 1


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_key(alice_client, supplier):
    url = reverse("supplier_invite", args=[supplier.id])
    key = new_key()
    refused = alice_client.post(url, {"emails": "a@@b", "language": "es", "key": key})
    assert refused.status_code == 400
    accepted = alice_client.post(url, {"emails": "a@norte.example", "language": "es", "key": key})
    assert accepted.status_code == 302
    assert Invitation.objects.count() == 1


def test_invite_selected_posted_twice_answers_with_the_first_report(
    alice_client, company_a, supplier
):
    data = {"supplier": [str(supplier.id)], "key": new_key()}
    first = alice_client.post(reverse("invite_selected"), data, follow=True)
    second = alice_client.post(reverse("invite_selected"), data, follow=True)
    assert messages_of(first) == messages_of(second) == ["1 invited"]
    assert Invitation.objects.count() == 1


def test_resend_posted_twice_sends_one_new_code(alice_client, company_a, alice, supplier):
    [invitation] = invite_supplier(
        buyer=company_a, supplier=supplier, emails=[supplier.email], by=alice
    )
    data = {"key": new_key()}
    url = reverse("invitation_resend", args=[invitation.id])
    assert messages_of(alice_client.post(url, data, follow=True)) == messages_of(
        alice_client.post(url, data, follow=True)
    )
    invitation.refresh_from_db()
    assert invitation.resent_count == 1
    assert OutgoingMail.objects.count() == 2


def test_another_users_key_is_not_theirs(alice_client, company_a, supplier):
    from tests.factories import MembershipFactory

    other_admin = MembershipFactory(company=company_a, role="admin").user
    key = new_key()
    url = reverse("supplier_invite", args=[supplier.id])
    alice_client.post(url, {"emails": "a@norte.example", "language": "es", "key": key})
    response = logged_in(other_admin).post(
        url, {"emails": "b@norte.example", "language": "es", "key": key}
    )
    assert response.status_code == 302
    assert Invitation.objects.count() == 2


def _post_at_once(posts: list[tuple]) -> list:
    start = threading.Barrier(len(posts))
    responses: list = [None] * len(posts)

    def post(index: int, client, url: str, data: dict) -> None:
        try:
            start.wait()
            responses[index] = client.post(url, data, follow=True)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i, *args)) for i, args in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def postgres_only(test):
    """Concurrent transactions: SQLite runs one writer at a time (IMMEDIATE transactions), so
    there the repeated POSTs above cover it."""
    marks = [
        pytest.mark.postgres_only,
        pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
        pytest.mark.django_db(transaction=True),
    ]
    for mark in marks:
        test = mark(test)
    return test


@postgres_only
def test_a_double_click_on_postgresql_invites_once_and_answers_twice(alice, supplier):
    data = {"emails": supplier.email, "language": "es", "key": new_key()}
    url = reverse("supplier_invite", args=[supplier.id])
    first, second = _post_at_once([(logged_in(alice), url, data), (logged_in(alice), url, data)])
    assert messages_of(first) == messages_of(second)
    assert Invitation.objects.filter(status=Status.QUEUED).count() == 1
    assert OutgoingMail.objects.count() == 1


@postgres_only
def test_two_admins_inviting_one_address_at_once_make_one_invitation(alice, supplier):
    url = reverse("supplier_invite", args=[supplier.id])
    posts = [
        (logged_in(alice), url, {"emails": supplier.email, "language": "es", "key": new_key()})
        for _ in range(2)
    ]
    responses = _post_at_once(posts)
    assert sorted(r.status_code for r in responses) == [200, 400]
    assert Invitation.objects.count() == 1 and OutgoingMail.objects.count() == 1
