"""A request ID on every request, its response and every log line written while it runs.

The reverse proxy's `X-Request-ID` is kept when it looks like an ID (so one ID follows a request
through proxy, web and logs); anything else is replaced, because the value lands in logs and
response headers and must not carry log injection or header tricks.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SAFE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The ID of the request being served in this thread/context, or None outside requests."""
    return _current.get()


def accepted_request_id(value: str | None) -> str:
    """`value` if it is a short ID of safe characters, else a new random one."""
    if value and _SAFE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIDMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Cleared by clear_request_id when the response is closed, not here: Django logs 4xx/5xx
        # responses after the middleware has returned, and those lines need the ID too.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def clear_request_id(**_kwargs: object) -> None:
    """request_finished receiver: log lines after the request (worker, shutdown) get no ID."""
    _current.set(None)
