"""What the activation flow keeps between requests, in the server-side session: the code from
the e-mail link until it is checked (so that it leaves the URL at once), then only the ID of
the invitation whose code and tax ID matched, never the code."""

from __future__ import annotations

import time

from django.http import HttpRequest

from suppliernet.invitations.models import Invitation

CODE_KEY = "activation_code"
CHECKED_KEY = "activation_checked"
CHECKED_FOR_SECONDS = 3600  # then the code is asked for again


def keep_code(request: HttpRequest, code: str) -> None:
    request.session[CODE_KEY] = code[:64]


def pending_code(request: HttpRequest) -> str:
    return request.session.get(CODE_KEY, "")


def remember(request: HttpRequest, invitation: Invitation) -> None:
    request.session.pop(CODE_KEY, None)
    request.session[CHECKED_KEY] = {"invitation": str(invitation.id), "at": int(time.time())}


def checked_invitation(request: HttpRequest) -> Invitation | None:
    checked = request.session.get(CHECKED_KEY)
    if not checked or time.time() - checked["at"] > CHECKED_FOR_SECONDS:
        return None
    return (
        Invitation.objects.select_related("buyer", "supplier", "supplier__company")
        .filter(pk=checked["invitation"])
        .first()
    )


def forget(request: HttpRequest) -> None:
    request.session.pop(CHECKED_KEY, None)
