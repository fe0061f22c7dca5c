"""Deployment checks of the outbox's settings (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@register(deploy=True)
def check_email_leaves_the_machine(app_configs, **kwargs) -> list[Warning]:
    # The development default keeps every message in the database; a production site left on it
    # would queue invitations that no supplier ever receives, without a single error.
    if settings.OUTBOX_TRANSPORT_BACKEND == SMTP:
        return []
    return [
        Warning(
            "EMAIL_URL is not smtp:// or smtps://: e-mail stays on this machine and reaches "
            "no supplier.",
            hint="Set EMAIL_URL to your relay, e.g. smtp://user:password@smtp.example.com:587?tls=1",
            id="outbox.W001",
        )
    ]
