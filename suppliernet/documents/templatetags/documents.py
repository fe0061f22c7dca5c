from __future__ import annotations

from django import template

from suppliernet.documents.emails import pending_suggestion
from suppliernet.network.models import Supplier

register = template.Library()

SHOWN_ON_SUPPLIER_PAGE = 5


@register.inclusion_tag("documents/supplier_documents.html", takes_context=True)
def supplier_documents(context: template.Context, supplier: Supplier) -> dict:
    """The supplier page's latest received documents and the e-mail found in them."""
    return {
        "supplier": supplier,
        "documents": list(supplier.received_documents.all()[:SHOWN_ON_SUPPLIER_PAGE]),
        "suggestion": pending_suggestion(supplier),
        "is_company_admin": context.get("is_company_admin"),
        "csrf_token": context.get("csrf_token"),
    }
