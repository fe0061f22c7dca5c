"""The limits of the public activation page, built on the one rate-limit mechanism
(`invitations.limits`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest

from suppliernet.invitations.limits import RateLimit


def _failures(name: str) -> RateLimit:
    return RateLimit(
        name,
        settings.REGISTRATION_MAX_FAILURES,
        timedelta(minutes=settings.REGISTRATION_FAILURE_WINDOW_MINUTES),
    )


def failures_per_ip() -> RateLimit:
    """Wrong code/tax ID pairs from one address: guessing codes stops here."""
    return _failures("activation-failure-ip")


def failures_per_invitation() -> RateLimit:
    """Wrong tax IDs with one real code, from however many addresses."""
    return _failures("activation-failure-invitation")


def requests_per_invitation(name: str) -> RateLimit:
    """E-mails a visitor may have sent to a company's admins on the strength of one code."""
    return RateLimit(
        f"activation-request-{name}", settings.REGISTRATION_REQUESTS_PER_DAY, timedelta(days=1)
    )


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a proxy
    # we trust rewrites it, and then the deployment sets REMOTE_ADDR from it.
    return request.META.get("REMOTE_ADDR") or "unknown"
