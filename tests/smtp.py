"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests, and the `smtp_server` fixture.

    def test_x(smtp_server):            # the outbox transport now points at it
        ...deliver_due()...
        assert smtp_server.messages[0]["To"] == "a@b.example"

`reject(address)` answers that recipient with 550, `defer(n)` answers the next n messages with
451, `stop()`/`start()` take the server down and bring it back on the same port. Other apps'
tests use it too (tests/conftest.py imports the fixture). `python -m tests.smtp` runs it as a
counting sink in its own process, for the benchmarks (with STARTTLS if given a certificate).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import logging
import re
import signal
import socket
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Controller(Controller):
    def factory(self) -> SMTP:
        # Called once per incoming connection.
        self.handler.connections += 1
        return super().factory()


class SMTPServer:
    """Also the aiosmtpd handler: it decides each reply and keeps what it received."""

    def __init__(
        self, *, port: int | None = None, parse: bool = True, tls: ssl.SSLContext | None = None
    ) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.parse = parse
        self.tls = tls  # offers STARTTLS, and requires it, with this context
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.message_ids: list[str] = []
        self.connections = 0
        self.rejections: dict[str, str] = {}
        self.deferrals = 0
        self.deferral_reply = ""
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    # Test controls
    def reject(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        self.rejections[address.lower()] = reply

    def defer(self, count: int, reply: str = "451 4.3.0 Try again later") -> None:
        self.deferrals, self.deferral_reply = count, reply

    def start(self) -> None:
        tls = {"tls_context": self.tls, "require_starttls": True} if self.tls else {}
        self._controller = _Controller(self, hostname=self.host, port=self.port, **tls)
        self._controller.start()
        self.connections = 0  # start() checks the server with a connection of its own

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # aiosmtpd hooks
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if address.lower() in self.rejections:
            return self.rejections[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        with self._lock:
            if self.deferrals > 0:
                self.deferrals -= 1
                return self.deferral_reply
            headers = raw.split(b"\r\n\r\n", 1)[0]
            found = MESSAGE_ID.search(headers)
            self.message_ids.append(found.group(1).decode() if found else "")
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            if self.parse:
                self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def stats(self) -> dict[str, Any]:
        return {
            "messages": len(self.message_ids),
            "unique_message_ids": len(set(self.message_ids)),
            "connections": self.connections,
        }


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, with the outbox's transport (and EMAIL_*) pointing at it."""
    server = SMTPServer()
    server.start()
    settings.OUTBOX_TRANSPORT_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def main() -> None:
    """A sink in its own process; on SIGTERM it writes its counts to --stats and exits."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--tls-cert", type=Path, help="PEM file with the certificate and key")
    args = parser.parse_args()
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert)
    server = SMTPServer(port=args.port, parse=False, tls=tls)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    server.start()
    print("ready", flush=True)
    stopped.wait()
    server.stop()
    args.stats.write_text(json.dumps(server.stats()))


if __name__ == "__main__":
    main()
