"""Typed environment variables that fail loudly on a bad value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_UNSET = object()


def env_str(name: str, default: str | object | None = _UNSET) -> str:
    value = os.environ.get(name)
    if value is not None:
        return value
    if default is _UNSET or default is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return default  # type: ignore[return-value]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    # The development mailbox: delivery succeeds and the message stays on the /outbox/ page.
    "mailbox": "django.core.mail.backends.dummy.EmailBackend",
}


def parse_email_url(url: str) -> EmailConfig:
    """`smtp://user:pass@host:587?tls=1`, `smtps://…` for implicit TLS, or mailbox:// (the
    development mailbox), console:// or locmem://."""
    parts = urlsplit(url)
    if parts.scheme in _BACKENDS:
        return EmailConfig(backend=_BACKENDS[parts.scheme])
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtps://, mailbox://, console:// or locmem://, "
            f"not {url!r}."
        )
    query = parse_qs(parts.query)
    flag = lambda key: query.get(key, ["0"])[0].lower() in _TRUE  # noqa: E731
    return EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname or "localhost",
        port=parts.port or (465 if parts.scheme == "smtps" else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=flag("tls") or flag("starttls"),
        use_ssl=parts.scheme == "smtps" or flag("ssl"),
    )
