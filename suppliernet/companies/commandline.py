"""How management commands name a company (`--company CO:900123456`) and one of its admins."""

from __future__ import annotations

from django.core.management.base import CommandError

from suppliernet.companies.models import Company, Membership, User
from suppliernet.companies.taxids import InvalidTaxId, normalize_tax_id

COMPANY_HELP = "COUNTRY:TAX_ID in any formatting, e.g. CO:900123456 or CL:76.086.428-5"


def company_argument(text: str) -> Company:
    country, _sep, number = text.partition(":")
    try:
        tax_id = normalize_tax_id(country, number)
    except InvalidTaxId as error:
        raise CommandError(f"--company {text}: {error.message}") from None
    company = Company.objects.filter(country=tax_id.country, tax_id=tax_id.number).first()
    if company is None:
        raise CommandError(f"No company {tax_id.country} {tax_id.display} is on SupplierNet.")
    return company


def admin_argument(company: Company, email: str) -> User:
    membership = (
        Membership.objects.filter(company=company, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if membership is None or not membership.is_admin:
        raise CommandError(f"{email} is not an admin of {company.legal_name}.")
    return membership.user
