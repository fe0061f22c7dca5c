"""E-mail addresses found in received documents: offered to the buyer, never written over
what the buyer keeps.

The rule: a supplier with no e-mail at all takes the document's as its primary e-mail (there is
nothing of the buyer's to overwrite, and Invite Selected can then reach it); a supplier with
any e-mail keeps them, and a new address is stored as `suggested_email`, which the supplier
page offers to admins with "Use as primary e-mail".
"""

from __future__ import annotations

from django.db import transaction

from suppliernet.audit.recording import record
from suppliernet.companies.models import User
from suppliernet.network.models import Supplier


class NoSuggestion(Exception):
    pass


def offer_email(supplier: Supplier, email: str) -> list[str]:
    """Applies the rule to `supplier` (unsaved); returns the fields it changed."""
    known = {address.lower() for address in supplier.all_emails}
    if not email or email.lower() in known or email.lower() == supplier.suggested_email.lower():
        return []
    if not known:
        supplier.email = email
        return ["email"]
    supplier.suggested_email = email
    return ["suggested_email"]


def pending_suggestion(supplier: Supplier) -> str:
    """The suggestion, unless the buyer has meanwhile added that address themselves."""
    known = {address.lower() for address in supplier.all_emails}
    suggestion = supplier.suggested_email
    return suggestion if suggestion and suggestion.lower() not in known else ""


@transaction.atomic
def use_suggested_email(*, supplier: Supplier, by: User) -> Supplier:
    """The suggestion becomes the primary e-mail; the former primary stays as a further one."""
    suggestion = pending_suggestion(supplier)
    if not suggestion:
        raise NoSuggestion
    if supplier.email:
        supplier.other_emails = [supplier.email, *supplier.other_emails]
    supplier.email = suggestion
    supplier.suggested_email = ""
    supplier.save()
    record(
        company=supplier.buyer,
        actor=by,
        action="supplier.email_suggestion_used",
        target=supplier,
        summary=f"{supplier.tax_id_display} {supplier.name}: {suggestion}",
    )
    return supplier
