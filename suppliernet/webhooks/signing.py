"""The signature a receiver checks: `X-SupplierNet-Signature: t=<unix time>,v1=<hex>`, where
hex is HMAC-SHA256 with the endpoint's secret over `<unix time>.<body>`. The time is part of
what is signed, so a captured delivery cannot be replayed later with a new time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "X-SupplierNet-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
