"""What a visitor with a checked code may ask when it cannot register: the registered
company's admins to add them, or the inviting company for a new code. Each request e-mails
that company's admins through the outbox and leaves an audit entry; both are limited per
invitation, since anyone holding the code may ask."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, Role, User
from suppliernet.invitations.message import language_for
from suppliernet.invitations.models import Invitation
from suppliernet.outbox.queueing import MailSpec, queue_mails
from suppliernet.registration.activation import State, state
from suppliernet.registration.limits import requests_per_invitation

ASK_ADMIN = "registration_flow/email/ask_admin"
ASK_NEW_CODE = "registration_flow/email/ask_new_code"


class RequestRefused(Exception):
    pass


class NobodyToAsk(RequestRefused):
    """The company has no admin with an account to write to."""


class TooManyRequests(RequestRefused):
    pass


class NotApplicable(RequestRefused):
    """The invitation's state changed since the page was shown."""


def ask_admin_to_add(*, invitation: Invitation, name: str, email: str, ip: str | None) -> int:
    """E-mails the admins of the registered company that `name` <`email`>, holding a code
    for it, asks to be added. Returns how many admins were written to."""
    if state(invitation) != State.REGISTERED:
        raise NotApplicable
    company = invitation.supplier.company
    context = {
        "company": company.legal_name,
        "buyer": invitation.buyer.legal_name,
        "name": name,
        "email": email,
        "users_url": f"{settings.SITE_URL}{reverse('company_users')}",
    }
    return _ask(
        kind="ask-admin",
        invitation=invitation,
        company=company,
        template=ASK_ADMIN,
        context=context,
        reply_to=email,
        action="registration.admin_asked",
        target=None,  # the invitation is the buyer's
        summary=f"{name} <{email}> asks to be added (invited by {invitation.buyer.legal_name})",
        ip=ip,
    )


def ask_for_new_code(*, invitation: Invitation, name: str, email: str, ip: str | None) -> int:
    """E-mails the inviting company's admins that the supplier asks for a new code because
    this one expired or was revoked. Returns how many admins were written to."""
    if state(invitation) != State.CLOSED:
        raise NotApplicable
    supplier = invitation.supplier
    context = {
        "supplier": supplier.name,
        "tax_id": f"{supplier.country} {supplier.tax_id_display}",
        "invited": invitation.email,
        "revoked": invitation.current_status == "revoked",
        "name": name,
        "email": email,
        "supplier_url": f"{settings.SITE_URL}{supplier.get_absolute_url()}",
    }
    return _ask(
        kind="new-code",
        invitation=invitation,
        company=invitation.buyer,
        template=ASK_NEW_CODE,
        context=context,
        reply_to=email,
        action="invitation.new_code_requested",
        target=invitation,
        summary=f"{supplier.tax_id_display} {supplier.name}: {name} <{email}> asks for a new code",
        ip=None,  # the visitor's address is not the buyer's business
    )


def _ask(
    *,
    kind: str,
    invitation: Invitation,
    company: Company,
    template: str,
    context: dict,
    reply_to: str,
    action: str,
    target: Invitation | None,
    summary: str,
    ip: str | None,
) -> int:
    admins = list(
        User.objects.filter(
            memberships__company=company, memberships__role=Role.ADMIN, is_active=True
        ).order_by("email")
    )
    if not admins:
        raise NobodyToAsk
    with transaction.atomic():  # a failure below gives the token back
        if not requests_per_invitation(kind).spend(str(invitation.id)):
            raise TooManyRequests
        queue_mails(
            [
                MailSpec(
                    to=admin.email,
                    template=template,
                    context=context,
                    language=admin.language or language_for(company.country),
                    company=company,
                    purpose=f"registration.{kind}",
                    reply_to=reply_to,
                )
                for admin in admins
            ]
        )
        record(
            company=company,
            actor=None,
            action=action,
            target=target,
            summary=summary,
            ip_address=ip,
        )
    return len(admins)
