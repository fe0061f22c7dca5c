"""Activation codes: generated from `secrets`, read aloud and typed by people, stored only
as a keyed hash.

A code is 12 Crockford base32 symbols (5 bits each: exactly 60 bits), shown in groups of
four, `K7QM-4X2P-9HDT`. 60 bits is enough because guessing is online only: registration
limits attempts per IP address and per invitation, and the stored hash is keyed, so a copy of
the database alone does not allow an offline search. Twelve symbols is what a person can still
copy from a printout without error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 12
GROUP = 4
BITS = LENGTH * 5
# Crockford's reading rules: letters a person may type for the digits they look like.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = frozenset(ALPHABET)
# RFC 4648 base32 and Crockford's share the 5-bit values, not the symbols.
_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)


def generate() -> str:
    """A new code in its display form, `K7QM-4X2P-9HDT`."""
    return display(_new_symbols())


def issue() -> tuple[str, str, str]:
    """A new code as an invitation needs it: (display form, `code_hash`, `hint`), without
    reading the code back as typed input (invitations in bulk issue tens of thousands)."""
    symbols = _new_symbols()
    return display(symbols), _hash(symbols), symbols[-GROUP:]


def _new_symbols() -> str:
    # The first 12 base32 symbols of 8 random bytes: 60 random bits, 5 per symbol.
    encoded = base64.b32encode(secrets.token_bytes(8))[:LENGTH].decode("ascii")
    return encoded.translate(_FROM_BASE32)


def display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize(typed: str) -> str | None:
    """The canonical 12 symbols of what a person typed, or None if it cannot be a code.

    Case, spaces, hyphens and other separators are ignored; O reads as 0, I and L as 1.
    """
    symbols = "".join(char for char in typed.upper() if char.isalnum()).translate(_ALIASES)
    if len(symbols) != LENGTH or not set(symbols) <= _VALID:
        return None
    return symbols


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    # A key of its own, so that the codes' hashes are useless as hashes of anything else.
    return hashlib.sha256(b"suppliernet.invitations.codes:" + secret.encode()).digest()


def code_hash(code: str) -> str:
    """HMAC-SHA256 of the canonical code. `code` may be in any form `normalize` accepts.

    The key comes from INVITATION_CODE_KEY, or SECRET_KEY when that is empty; changing it
    invalidates every open code.
    """
    canonical = normalize(code)
    if canonical is None:
        raise ValueError("not an activation code")
    return _hash(canonical)


def _hash(canonical: str) -> str:
    secret = settings.INVITATION_CODE_KEY or settings.SECRET_KEY
    return hmac.digest(_key(secret), canonical.encode(), "sha256").hex()


def verify(code: str, stored_hash: str) -> bool:
    """Whether `code` is the code of `stored_hash`, compared in constant time."""
    try:
        candidate = code_hash(code)
    except ValueError:
        return False
    return hmac.compare_digest(candidate, stored_hash)


def hint(code: str) -> str:
    """The last four symbols, enough for a person to tell codes apart on a list."""
    canonical = normalize(code)
    if canonical is None:
        raise ValueError("not an activation code")
    return canonical[-GROUP:]
