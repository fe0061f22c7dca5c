"""The bytes written for a message read back, by the email package, as what was meant."""

from __future__ import annotations

import email
import email.policy

import pytest

from suppliernet.outbox.mime import serialize

TEXT = (
    "Hola Pérez & Hijos,\n"
    ". a line starting with a dot\n"
    "From the start of a line\n"
    "trailing space \n"
    "tab\there\r\n" + "a long line " * 20 + "\nequals = sign\n\n-- \nSupplierNet\n"
)
HTML = '<p style="margin:0">Pérez &amp; Hijos</p>\n' + "<span>x</span>" * 40 + "\n"


def parsed(**overrides: str) -> email.message.EmailMessage:
    fields = {
        "from_email": "SupplierNet <no-reply@suppliernet.local>",
        "to": "ana@proveedor.example",
        "reply_to": "",
        "subject": "Hello",
        "text": TEXT,
        "html": HTML,
        "message_id": "<123.456@suppliernet.local>",
        **overrides,
    }
    message = serialize(**fields)
    assert all(len(line) <= 78 for line in message.data.split(b"\r\n")), "short lines, 7 bits"
    assert b"\n" not in message.data.replace(b"\r\n", b"")
    return email.message_from_bytes(message.data, policy=email.policy.default)


def test_both_parts_read_back_exactly_as_written():
    message = parsed()
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert text == TEXT.replace("\r\n", "\n")
    assert html == HTML
    assert message["Message-ID"] == "<123.456@suppliernet.local>"
    assert message["MIME-Version"] == "1.0"
    assert not message.defects


def test_without_html_the_message_is_one_text_part():
    message = parsed(html="")
    assert message.get_content_type() == "text/plain"
    assert message.get_content().replace("\r\n", "\n") == TEXT.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "subject",
    [
        "Proveedores: Pérez & Hijos <Ltda> le invita a registrarse",
        "Ñandú " * 30,
        "A plain subject that is long enough to be folded at one of its spaces " * 3,
        "日本語の件名",
        "",
    ],
)
def test_subjects_read_back_as_written(subject):
    assert parsed(subject=subject.strip())["Subject"] == subject.strip()


def test_addresses_are_written_as_django_writes_them():
    message = parsed(
        from_email="Almacenes Ñandú <no-reply@suppliernet.local>",
        to="ana@proveedór.example",
        reply_to="Soporte <soporte@suppliernet.example>, otro@suppliernet.example",
    )
    assert message["From"].addresses[0].display_name == "Almacenes Ñandú"
    assert message["To"] == "ana@" + "proveedór.example".encode("idna").decode()
    assert [a.addr_spec for a in message["Reply-To"].addresses] == [
        "soporte@suppliernet.example",
        "otro@suppliernet.example",
    ]


def test_the_envelope_is_what_django_s_smtp_backend_would_use():
    message = serialize(
        from_email="SupplierNet <no-reply@suppliernet.local>",
        to="ana@proveedor.example",
        reply_to="",
        subject="Hi",
        text="Hi",
        html="",
        message_id="<1@x>",
    )
    assert (message.sender, message.recipient) == (
        "SupplierNet <no-reply@suppliernet.local>",
        "ana@proveedor.example",
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", "Hi\r\nBcc: everyone@example.com"),
        ("to", "ana@proveedor.example\nBcc: everyone@example.com"),
        ("reply_to", "a@x.example\r\nX-Injected: 1"),
        ("to", "not an address"),
    ],
)
def test_a_header_that_cannot_be_written_is_refused(field, value):
    with pytest.raises(ValueError):
        parsed(**{field: value})
