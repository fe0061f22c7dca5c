"""Checking an activation code together with the supplier's own tax ID.

Until both match, every refusal is the same `WrongPair`, whether the code is unknown,
replaced, expired, revoked or used or the tax ID is someone else's: the page must not tell a
guesser which codes exist. Once the pair matches, the invitation's `state` decides what the
visitor may do next.
"""

from __future__ import annotations

import contextlib
import hmac
import re
import unicodedata
from enum import StrEnum

from django.views.decorators.debug import sensitive_variables
from stdnum.co import nit as co_nit

from suppliernet.companies.models import Company, Membership, Role
from suppliernet.companies.taxids import MAX_INPUT_LENGTH, InvalidTaxId, normalize_tax_id
from suppliernet.invitations.models import Invitation
from suppliernet.invitations.sending import find_invitation_by_code
from suppliernet.registration.limits import failures_per_invitation, failures_per_ip


class WrongPair(Exception):
    """The code and tax ID do not belong together; says nothing more on purpose."""


class TooManyAttempts(Exception):
    pass


class State(StrEnum):
    OPEN = "open"  # the registration form
    REGISTERED = "registered"  # someone registered the company: ask its admin instead
    CLOSED = "closed"  # expired or revoked: ask the inviting company for a new code


@sensitive_variables("code", "tax_id")
def check_pair(*, code: str, tax_id: str, ip: str) -> Invitation:
    """The invitation of `code` if `tax_id` is its supplier's, whatever its state.

    Raises TooManyAttempts while the IP address or the invitation has used up its failures,
    else WrongPair, which counts as one failure for both.
    """
    by_ip = failures_per_ip()
    if by_ip.is_exhausted(ip):
        raise TooManyAttempts
    invitation = find_invitation_by_code(code)
    by_invitation = failures_per_invitation()
    if invitation is not None and by_invitation.is_exhausted(str(invitation.id)):
        raise TooManyAttempts
    if invitation is None or not tax_id_matches(invitation.supplier.company, tax_id):
        by_ip.spend(ip)
        if invitation is not None:
            by_invitation.spend(str(invitation.id))
        raise WrongPair
    return invitation


def tax_id_matches(company: Company, typed: str) -> bool:
    """Whether `typed` is the company's tax ID in any formatting the country allows; for a
    Colombian NIT also without its check digit, whatever its length."""
    candidates = set()
    with contextlib.suppress(InvalidTaxId):  # still a candidate without its check digit
        candidates.add(normalize_tax_id(company.country, typed).number)
    if company.country == "CO":
        digits = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", typed))
        if 0 < len(digits) < MAX_INPUT_LENGTH:
            candidates.add(digits + co_nit.calc_check_digit(digits))
    # Every candidate is compared, in constant time, so the time taken tells nothing either.
    matches = [hmac.compare_digest(c.encode(), company.tax_id.encode()) for c in candidates]
    return any(matches)


def is_taken(company: Company) -> bool:
    """Registered, or already in use by people (a buyer created before registration
    existed): either way nobody may register it again with a code."""
    return company.registered_at is not None or company.memberships.exists()


def state(invitation: Invitation) -> State:
    if is_taken(invitation.supplier.company):
        return State.REGISTERED
    if not invitation.is_open:
        return State.CLOSED
    return State.OPEN


def admin_contact(company: Company) -> str:
    """The longest-standing admin's e-mail, masked: enough to recognise a colleague, not
    enough to harvest addresses."""
    membership = (
        Membership.objects.filter(company=company, role=Role.ADMIN)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return mask_email(membership.user.email) if membership else ""


def mask_email(address: str) -> str:
    """ "ana.gomez@empresa.co" -> "a•••@empresa.co"."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"
