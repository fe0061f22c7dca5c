from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.timesince import timesince

from suppliernet.invitations.idempotency import new_key
from suppliernet.invitations.listing import latest_invitation
from suppliernet.network.models import Supplier

register = template.Library()


@register.filter
def ago(value) -> str:
    """ "3 days" rather than "3 days, 2 hours": a status line, not a stopwatch."""
    return timesince(value, depth=1) if value else ""


@register.simple_tag
def once_key() -> str:
    """The hidden one-time key that makes a repeated POST of this form harmless."""
    return format_html('<input type="hidden" name="key" value="{}">', new_key())


@register.inclusion_tag("invitations/status.html")
def latest_invitation_status(supplier: Supplier) -> dict:
    return {"invitation": latest_invitation(supplier)}


@register.inclusion_tag("invitations/supplier_invitations.html", takes_context=True)
def supplier_invitations(context: template.Context, supplier: Supplier) -> dict:
    """The supplier page's timeline of invitations, with Resend/Revoke for admins."""
    return {
        "supplier": supplier,
        "invitations": supplier.invitations.select_related(
            "supplier__company", "created_by", "accepted_by", "revoked_by"
        ),
        "is_company_admin": context.get("is_company_admin"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
