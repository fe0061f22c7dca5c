"""What the Suppliers list shows about invitations, in the list's own query."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier

# The fields of the latest invitation that its status line needs (see `latest_invitation`).
LATEST_FIELDS = ("status", "expires_at", "sent_at", "created_at", "failure_reason")


def with_latest_invitation(suppliers: QuerySet[Supplier]) -> QuerySet[Supplier]:
    """Annotates `latest_invitation_<field>` per supplier with correlated subqueries, so a
    page of the list stays one query however many rows it has."""
    latest = Invitation.objects.filter(supplier=OuterRef("pk")).order_by("-created_at", "-id")
    return suppliers.annotate(
        **{f"latest_invitation_{name}": Subquery(latest.values(name)[:1]) for name in LATEST_FIELDS}
    )


def latest_invitation(supplier: Supplier) -> Invitation | None:
    """The annotated latest invitation as an (unsaved) Invitation, for its status logic."""
    if getattr(supplier, "latest_invitation_status", None) is None:
        return None
    return Invitation(
        **{name: getattr(supplier, f"latest_invitation_{name}") for name in LATEST_FIELDS}
    )
