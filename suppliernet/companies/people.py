"""Adding colleagues to a company and telling them how to set their password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import override

from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, Membership, User


class AlreadyMember(Exception):
    pass


def password_setup_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def add_colleague(*, company: Company, email: str, role: str, by: User) -> Membership:
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, language=by.language)
    elif user.memberships.filter(company=company).exists():
        raise AlreadyMember(email)
    membership = Membership.objects.create(user=user, company=company, role=role)
    record(company=company, actor=by, action="membership.added", target=membership, summary=email)
    context = {
        "company": company,
        "inviter": by,
        "user": user,
        "has_password": user.has_usable_password(),
        "url": password_setup_url(user) if not user.has_usable_password() else settings.SITE_URL,
    }
    with override(user.language or by.language or settings.LANGUAGE_CODE):
        message = EmailMultiAlternatives(
            subject=render_to_string("companies/email/colleague_subject.txt", context).strip(),
            body=render_to_string("companies/email/colleague.txt", context),
            to=[user.email],
        )
    # Written to the outbox in this transaction: no membership without its e-mail, and the
    # e-mail only goes out once the membership is committed.
    message.send()
    return membership
