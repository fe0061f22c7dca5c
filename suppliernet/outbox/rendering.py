"""The one place e-mail is rendered: subject, text and HTML templates in the recipient's language.

`<template>_subject.txt`, `<template>.txt` and (optional) `<template>.html`. The plain-text parts
are rendered without HTML escaping, so "Pérez & Hijos" stays as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

if TYPE_CHECKING:
    from suppliernet.outbox.models import OutgoingMail


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _render(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    template = get_template(name).template  # the engine's Template, to choose autoescape
    return template.render(Context(context, autoescape=autoescape))


def html_template_exists(template: str) -> bool:
    try:
        get_template(f"{template}.html")
    except TemplateDoesNotExist:
        return False
    return True


def render_mail(template: str, context: dict[str, Any], *, language: str) -> RenderedMail:
    with translation.override(language):
        # A subject is one header line: newlines in it would be refused by Django anyway.
        subject = " ".join(_render(f"{template}_subject.txt", context, autoescape=False).split())
        text = _render(f"{template}.txt", context, autoescape=False)
        html = (
            _render(f"{template}.html", context, autoescape=True)
            if html_template_exists(template)
            else ""
        )
    return RenderedMail(subject=subject, text=text, html=html)


def content_of(mail: OutgoingMail) -> RenderedMail:
    """What goes (or went) out: rendered from the template the first time, then as stored, so
    a retry sends what the outbox page shows."""
    if mail.template and not mail.text:
        return render_mail(mail.template, mail.context, language=mail.language)
    return RenderedMail(subject=mail.subject, text=mail.text, html=mail.html)
