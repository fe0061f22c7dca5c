"""Creating, revoking and recognising API tokens.

A token is `snt_` and 43 URL-safe characters (256 random bits), so a plain SHA-256 is
enough to store it: nothing about it can be guessed, unlike a password."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from suppliernet.api.models import ApiToken
from suppliernet.audit.models import Channel
from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, User

PREFIX = "snt_"
SHOWN_PREFIX_LENGTH = len(PREFIX) + 6
# A busy integration would otherwise write its token's row on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    *, company: Company, name: str, role: str, by: User | None, channel: str = Channel.PAGE
) -> NewToken:
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            company=company,
            name=name,
            role=role,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            token_hash=token_hash(secret),
            created_by=by,
        )
        record(
            company=company,
            actor=by,
            action="api_token.created",
            target=token,
            summary=f"{token.name} ({token.role}, {token.prefix}…)",
            channel=channel,
        )
    return NewToken(token=token, secret=secret)


def revoke_token(*, token: ApiToken, by: User | None) -> ApiToken:
    """Stops the token at once; revoking a revoked token changes nothing."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
        if updated:
            record(
                company=token.company,
                actor=by,
                action="api_token.revoked",
                target=token,
                summary=f"{token.name} ({token.prefix}…)",
            )
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, its last use noted; None for anything else."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("company", "created_by")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
