"""The invitation e-mail: its language and what its templates are given.

The outbox renders `invitations/email/invitation{_subject.txt,.txt,.html}` at delivery, in
the invitation's language, from the JSON context built here.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.utils import formats, timezone, translation

from suppliernet.companies.models import Company
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier
from suppliernet.outbox.queueing import MailSpec

TEMPLATE = "invitations/email/invitation"
PURPOSE = "invitation"
# Where Spanish is the language of business; everyone else reads English.
SPANISH_COUNTRIES = frozenset(
    {"AR", "CL", "CO", "CR", "DO", "EC", "ES", "GT", "MX", "PE", "PY", "SV", "UY", "VE"}
)
ACTIVATION_PATH = "/activate/"  # served by the registration app


def language_for(country: str) -> str:
    return "es" if country.upper() in SPANISH_COUNTRIES else "en"


def activation_url(code: str) -> str:
    return f"{settings.SITE_URL}{ACTIVATION_PATH}?{urlencode({'code': code})}"


@lru_cache(maxsize=32)  # a bulk invitation shares one expiry: format it once per language
def expiry_text(expires_at: datetime, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(expires_at), "DATE_FORMAT")


def mail_spec(
    *, invitation: Invitation, code: str, buyer: Company, supplier: Supplier, replaces: bool
) -> MailSpec:
    """The message carrying `code` (the only place the plain code goes) to the invitee."""
    return MailSpec(
        to=invitation.email,
        template=TEMPLATE,
        context={
            "buyer": buyer.legal_name,
            "supplier": supplier.name,
            "code": code,
            "expires_on": expiry_text(invitation.expires_at, invitation.language),
            "url": activation_url(code),
            "activate_url": f"{settings.SITE_URL}{ACTIVATION_PATH}",
            "replaces_earlier": replaces,
        },
        language=invitation.language,
        company=buyer,
        purpose=PURPOSE,
        confidential=True,
    )
