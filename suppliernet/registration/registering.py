"""Registering a supplier company with a checked invitation: one transaction that either
does everything or nothing.

Concurrent registrations of one company (the same code twice, or two codes from two buyers)
queue on the company's row lock; the first commits, the others then find it registered.
Locks are always taken company first, then invitations, so two registrations cannot
deadlock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, Membership, Role, User
from suppliernet.invitations.models import OPEN, Invitation, Status
from suppliernet.outbox.queueing import cancel_queued
from suppliernet.registration.activation import is_taken
from suppliernet.registration.models import CompanyProfile
from suppliernet.registration.signals import invitations_accepted


class RegistrationRefused(Exception):
    pass


class AlreadyRegistered(RegistrationRefused):
    pass


class InvitationClosed(RegistrationRefused):
    pass


class EmailTaken(RegistrationRefused):
    """A person with this e-mail has an account: they log in and activate from there."""


@dataclass(frozen=True)
class NewPerson:
    full_name: str
    email: str
    password: str


@dataclass(frozen=True)
class CompanyDetails:
    legal_name: str
    address: str
    city: str
    province: str
    postal_code: str
    phone: str


@sensitive_variables("person")
def register_company(
    *,
    invitation_id: uuid.UUID,
    details: CompanyDetails,
    person: NewPerson | None = None,
    user: User | None = None,
    ip: str | None = None,
) -> Membership:
    """The invited company, registered with its first admin: `user`, or a new account for
    `person`. Accepts the invitation and closes the company's other open invitations in every
    buyer's network.

    Raises AlreadyRegistered, InvitationClosed or EmailTaken; nothing is written then.
    """
    if (person is None) == (user is None):
        raise ValueError("register either a new person or an existing user")
    company_id = (
        Invitation.objects.filter(pk=invitation_id)
        .values_list("supplier__company_id", flat=True)
        .first()
    )
    if company_id is None:  # the buyer removed the supplier since the code was checked
        raise InvitationClosed
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company_id)
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("buyer", "supplier")
            .filter(pk=invitation_id)
            .first()
        )
        if is_taken(company):
            raise AlreadyRegistered
        if invitation is None or not invitation.is_open:
            raise InvitationClosed
        if user is None:
            user = _new_user(person)
        membership = Membership.objects.create(user=user, company=company, role=Role.ADMIN)
        now = timezone.now()
        company.registered_at = now
        company.legal_name = details.legal_name or company.legal_name
        company.save(update_fields=["registered_at", "legal_name"])
        CompanyProfile.objects.update_or_create(
            company=company,
            defaults={
                "address": details.address,
                "city": details.city,
                "province": details.province,
                "postal_code": details.postal_code,
                "phone": details.phone,
            },
        )
        record(
            company=company,
            actor=user,
            action="company.registered",
            target=company,
            summary=f"{user.email}, invited by {invitation.buyer.legal_name}",
            ip_address=ip,
        )
        _accept_invitations(company=company, used=invitation, by=user, at=now)
    return membership


@sensitive_variables("person")
def _new_user(person: NewPerson) -> User:
    email = person.email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken(email)
    try:
        with transaction.atomic():  # an account made with this e-mail a moment ago
            return User.objects.create_user(
                email=email, password=person.password, full_name=person.full_name
            )
    except IntegrityError:
        raise EmailTaken(email) from None


def _accept_invitations(*, company: Company, used: Invitation, by: User, at) -> None:
    """The used invitation and every other open one for the company, in every buyer's
    network, become accepted: no later e-mail asks a registered company to register."""
    invitations = Invitation.objects.filter(supplier__company=company)
    # Past their expiry they were expired, not accepted: record that first.
    invitations.exclude(pk=used.pk).overdue().update(status=Status.EXPIRED)
    accepted = list(
        invitations.select_for_update(of=("self",))
        .filter(status__in=OPEN)
        .select_related("buyer", "supplier")
        .order_by("pk")
    )
    Invitation.objects.filter(pk__in=[i.pk for i in accepted]).update(
        status=Status.ACCEPTED, accepted_at=at, accepted_by=by
    )
    cancel_queued([i.mail_id for i in accepted])
    invitations_accepted.send(sender=Invitation, invitation_ids=[i.pk for i in accepted])
    for invitation in accepted:
        how = "" if invitation.pk == used.pk else " (registered with another invitation)"
        record(
            company=invitation.buyer,
            actor=by,
            action="invitation.accepted",
            target=invitation,
            summary=(
                f"{invitation.supplier.tax_id_display} {invitation.supplier.name} "
                f"<{invitation.email}>: registered by {by.email}{how}"
            ),
        )
