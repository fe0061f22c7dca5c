"""Which URLs may receive webhooks. Only http(s), and in production only public addresses:
a webhook URL is chosen by a customer, so without this check it could make our servers
call their own internal services (SSRF). The check runs on the resolved addresses at each
delivery, and the connection goes to the address that was checked (no second DNS look-up
that could answer differently), without following redirects."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class RefusedTarget(Exception):
    """`permanent`: the URL itself is not allowed; otherwise (DNS) it may work later."""

    def __init__(self, message: str, *, permanent: bool = True):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    address: str  # the checked IP address to connect to


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> None:
    """What can be told without DNS: the scheme, a host, no credentials, and no private
    address or localhost written in the URL itself."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget(_("Use an http:// or https:// address."))
    try:
        parts.port  # noqa: B018  (urlsplit checks the port only when asked)
    except ValueError:
        raise RefusedTarget(_("The port in this URL is not valid.")) from None
    if parts.username or parts.password:
        raise RefusedTarget(_("Put no user name or password in the URL; check the signature."))
    if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        return
    host = parts.hostname.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise RefusedTarget(_("Webhooks cannot be sent to this server itself."))
    try:
        public = _is_public(host)
    except ValueError:
        return  # a name: checked once resolved, at delivery
    if not public:
        raise RefusedTarget(_("Webhooks can only be sent to public internet addresses."))


def resolve(url: str) -> Target:
    """The URL checked and resolved to one address to connect to; RefusedTarget if the name
    does not resolve or (in production) resolves to any non-public address."""
    check_url(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        message = _("The host name does not resolve: %(error)s") % {"error": error}
        raise RefusedTarget(message, permanent=False) from None
    addresses = [info[4][0] for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS and not all(map(_is_public, addresses)):
        raise RefusedTarget(_("Webhooks can only be sent to public internet addresses."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])
