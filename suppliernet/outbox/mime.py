"""An outgoing e-mail as the bytes the SMTP server receives, written directly.

Every outbox message has one shape: a few headers, a UTF-8 text part and, most often, an HTML
alternative. Django's `EmailMessage.message().as_bytes()` builds that shape through the email
package's general machinery (compat32 header folding of every header, a regular expression
compiled for every boundary), which cost the worker more per message than the SMTP exchange
itself; writing the known shape costs a small fraction of that. Addresses still go through
Django's `sanitize_address`, so what is accepted, encoded or refused is Django's rule, and a
header value with a line break is refused as Django refuses it (`ValueError`).

Bodies are quoted-printable: 7-bit, lines of at most 76 characters, safe through any relay,
and a boundary starting with "=_" can never occur in such a body.
"""

from __future__ import annotations

import binascii
import re
import secrets
from dataclasses import dataclass
from email.utils import formatdate, getaddresses
from functools import lru_cache

from django.core.mail.message import sanitize_address

CRLF = "\r\n"
LINE = 78  # a header line's recommended length (RFC 5322 2.1.1)
# An address with nothing to encode or quote: it goes into the header as it is.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+")
# 39 bytes of UTF-8 are 52 characters of base64: an encoded word of 64 characters, so that even
# the first one fits on the "Subject: " line (RFC 2047 allows 75).
WORD_BYTES = 39


@dataclass(frozen=True)
class Serialized:
    sender: str  # the envelope's MAIL FROM and RCPT TO, as Django's SMTP backend gives them
    recipient: str
    data: bytes


def serialize(
    *,
    from_email: str,
    to: str,
    reply_to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    localtime: bool = False,
) -> Serialized:
    sender, recipient = address_list(from_email), address(to)
    headers = [
        f"From: {sender}",
        f"To: {recipient}",
        *([f"Reply-To: {address_list(reply_to)}"] if reply_to else []),
        f"Subject: {unstructured('Subject', subject)}",
        f"Date: {formatdate(localtime=localtime)}",
        f"Message-ID: {single_line(message_id)}",
        "MIME-Version: 1.0",
    ]
    if html:
        boundary = f"=_{secrets.token_hex(12)}"  # the Content-Type line stays under 78
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        body = (
            f"{CRLF}--{boundary}{CRLF}{_part('plain', text)}{CRLF}"
            f"--{boundary}{CRLF}{_part('html', html)}{CRLF}"
            f"--{boundary}--{CRLF}"
        )
    else:  # the part's own headers end the message's
        body = _part("plain", text)
    data = CRLF.join(headers) + CRLF + body
    return Serialized(sender=sender, recipient=recipient, data=data.encode("ascii"))


def _part(subtype: str, content: str) -> str:
    """Headers, blank line, body: the text part of a single-part message, or one alternative."""
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
        f"{quoted_printable(content)}"
    )


def quoted_printable(content: str) -> str:
    # Every line ending becomes CRLF first, as the email package's generator does; binascii then
    # keeps CRLF and breaks long lines with "=" CRLF.
    lines = content.replace("\r\n", "\n").replace("\r", "\n").replace("\n", CRLF)
    return binascii.b2a_qp(lines.encode(), istext=True).decode("ascii")


def single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"Header values can't contain newlines (got {value!r})")
    return value


def unstructured(name: str, value: str) -> str:
    """A header such as Subject: ASCII folded at spaces, anything else as RFC 2047 words."""
    single_line(value)
    if value.isascii():
        return _fold(len(name) + 2, value)
    words, chunk = [], b""
    for character in value:
        encoded = character.encode()  # a lone surrogate raises UnicodeEncodeError, a ValueError
        if len(chunk) + len(encoded) > WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return f"{CRLF} ".join(
        f"=?utf-8?b?{binascii.b2a_base64(word, newline=False).decode()}?=" for word in words
    )


def _fold(used: int, value: str) -> str:
    if used + len(value) <= LINE:
        return value
    lines, current = [], ""
    for index, word in enumerate(value.split(" ")):
        piece = f" {word}" if index else word
        if current.strip() and used + len(current) + len(piece) > LINE:
            lines.append(current)
            current, used = piece, 0
        else:
            current += piece
    lines.append(current)
    return CRLF.join(lines)  # each continuation line starts with the space it was folded at


def address(value: str) -> str:
    if PLAIN_ADDRESS.fullmatch(value):
        return value
    return address_list(value)


@lru_cache(maxsize=256)  # senders and reply addresses repeat for every message
def address_list(value: str) -> str:
    """One or more addresses as Django writes them (display names encoded, IDN in punycode)."""
    single_line(value)
    pairs = getaddresses([value])
    if not pairs or not all(addr for _name, addr in pairs):
        raise ValueError(f'Invalid address "{value}"')
    return ", ".join(sanitize_address(pair, "utf-8") for pair in pairs)
