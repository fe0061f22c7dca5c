"""Rate limits for sensitive actions, in one place: a token bucket per subject, kept in the
database so that every web process and worker sees the same count (healthchecks'
TokenBucket, made exact with a row lock).

Used for resending and revoking invitations (per supplier); registration uses the same
mechanism for activation-code attempts (per IP address, per invitation).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from suppliernet.invitations.models import TokenBucket


@dataclass(frozen=True)
class RateLimit:
    """At most `capacity` actions per `period` for one subject, refilled continuously."""

    name: str
    capacity: int
    period: timedelta

    def _key(self, subject: str) -> str:
        # Subjects may be IP addresses: keep only a hash.
        return hashlib.sha256(f"{self.name}:{subject}".encode()).hexdigest()

    def _tokens(self, bucket: TokenBucket, now) -> float:
        refilled = (now - bucket.updated_at) / self.period * self.capacity
        return min(float(self.capacity), bucket.tokens + refilled)

    def is_exhausted(self, subject: str) -> bool:
        """Whether `spend` would refuse now, without spending."""
        bucket = TokenBucket.objects.filter(key=self._key(subject)).first()
        return bucket is not None and self._tokens(bucket, timezone.now()) < 1

    def spend(self, subject: str) -> bool:
        """Takes one token; False, and nothing changed, when none is left.

        Inside the caller's transaction a rollback gives the token back, so an action that
        fails after the check does not count.
        """
        now = timezone.now()
        with transaction.atomic():
            bucket, _created = TokenBucket.objects.select_for_update().get_or_create(
                key=self._key(subject), defaults={"tokens": self.capacity, "updated_at": now}
            )
            tokens = self._tokens(bucket, now)
            if tokens < 1:
                return False
            bucket.tokens, bucket.updated_at = tokens - 1, now
            bucket.save(update_fields=["tokens", "updated_at"])
        return True


def invitation_changes() -> RateLimit:
    """Resending and revoking, per supplier: a mistake is fixed at once, a loop is stopped."""
    return RateLimit("invitation-change", settings.INVITATION_CHANGES_PER_HOUR, timedelta(hours=1))
