"""What the Suppliers list shows about invitations, in the list's own query."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import OuterRef, Subquery

from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier

# The fields of the latest invitation that its status line needs (see `latest_invitation`).
LATEST_FIELDS = ("status", "expires_at", "sent_at", "created_at", "failure_reason")


def with_latest_invitation(suppliers: Sequence[Supplier]) -> Sequence[Supplier]:
    """Sets `latest_invitation_<field>` on each supplier of a page, in one query. Done per page,
    after paging: as an annotation of the whole list, PostgreSQL ran the subqueries for every
    matching row before sorting (seconds at a million suppliers)."""
    latest = Invitation.objects.filter(supplier=OuterRef("pk")).order_by("-created_at", "-id")
    names = [f"latest_invitation_{name}" for name in LATEST_FIELDS]
    rows = (
        Supplier.objects.filter(pk__in=[supplier.pk for supplier in suppliers])
        .annotate(
            **{f"latest_invitation_{n}": Subquery(latest.values(n)[:1]) for n in LATEST_FIELDS}
        )
        .values("pk", *names)
    )
    by_pk = {row.pop("pk"): row for row in rows}
    for supplier in suppliers:
        for name, value in by_pk.get(supplier.pk, {}).items():
            setattr(supplier, name, value)
    return suppliers


def latest_invitation(supplier: Supplier) -> Invitation | None:
    """The annotated latest invitation as an (unsaved) Invitation, for its status logic."""
    if getattr(supplier, "latest_invitation_status", None) is None:
        return None
    return Invitation(
        **{name: getattr(supplier, f"latest_invitation_{name}") for name in LATEST_FIELDS}
    )
