"""Who is calling: a bearer token acting for its one company, with its role; and how often
it may call (a token bucket per token, the same mechanism as the other rate limits)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from suppliernet.api.models import ApiToken
from suppliernet.api.tokens import token_for_secret
from suppliernet.invitations.limits import RateLimit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = token_for_secret(token.strip())
        if api_token is not None and not api_token.can_write and request.method not in SAFE_METHODS:
            raise AuthorizationError(message=_("This token is read-only."))
        return api_token


def api_requests() -> RateLimit:
    return RateLimit("api-token", settings.API_RATE_LIMIT_PER_MINUTE, timedelta(minutes=1))


class TokenThrottle(BaseThrottle):
    """Per token, after authentication: one integration cannot slow down the others."""

    def allow_request(self, request: HttpRequest) -> bool:
        return api_requests().spend(str(request.auth.pk))  # type: ignore[attr-defined]

    def wait(self) -> float:
        limit = api_requests()
        # The bucket refills continuously: one request's worth takes period / capacity.
        return math.ceil(limit.period.total_seconds() / max(limit.capacity, 1))
