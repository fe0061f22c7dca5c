"""Background work: thin tasks that reload by ID and call the same rule as the page."""

from __future__ import annotations

from django_tasks import task

from suppliernet.companies.models import Company, User
from suppliernet.invitations.forms import suppliers_matching
from suppliernet.invitations.sending import invite_suppliers


@task()
def invite_matching_suppliers(*, buyer_id: str, user_id: int, query: str) -> str:
    """Invite Selected with "all matching this filter" over more suppliers than a request
    should handle; the report goes to the audit log like any bulk invitation."""
    buyer = Company.objects.get(pk=buyer_id)
    report = invite_suppliers(
        buyer=buyer, suppliers=suppliers_matching(buyer, query), by=User.objects.get(pk=user_id)
    )
    return report.summary()
