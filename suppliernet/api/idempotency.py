"""`Idempotency-Key` on POST: the same key with the same request returns the first answer and
does nothing twice; the same key with another request is refused.

The key is stored in the transaction that does the work, so a concurrent duplicate waits on
the unique constraint until the first commits and then replays it; if the first failed
(a 4xx: nothing was done), nothing is stored and the request may be sent again, corrected,
with the same key."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status
from pydantic import BaseModel

from suppliernet.api.models import ApiToken, IdempotentRequest
from suppliernet.api.problems import ApiProblem

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"  # printable ASCII, no spaces: UUIDs and the like
KEPT_FOR = timedelta(days=1)


def request_digest(request: HttpRequest) -> str:
    """What makes two requests "the same": method, path and body. JSON is compared as data
    (key order and spacing do not matter); a multipart upload, which the body's parser has
    consumed, as fields and file contents (every client picks its own boundary)."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    try:
        body = request.body
    except RawPostDataException:
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values]).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(json.dumps([name, upload.name, upload.size]).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
        return digest.hexdigest()
    with contextlib.suppress(ValueError):  # not JSON: compared byte for byte
        body = json.dumps(json.loads(body), sort_keys=True).encode()
    digest.update(body)
    return digest.hexdigest()


def _key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and not re.fullmatch(KEY_PATTERN, key):
        raise ApiProblem(
            422,
            "idempotency-key",
            _("The Idempotency-Key must be 1 to 255 printable ASCII characters, without spaces."),
            errors=[(HEADER, _("Use a UUID or another unique string."))],
        )
    return key


def _body(result: Any) -> tuple[int, Any]:
    status, body = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json")
    return status, body


def idempotent(view: Callable) -> Callable:
    """For every operation (ninja's "operation" decorators run after authentication and
    validation); only POST with the header is affected. Views return Status(code, Schema)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = _key(request) if request.method == "POST" else None
        if key is None:
            return view(request, *args, **kwargs)
        token: ApiToken = request.auth  # type: ignore[attr-defined]
        digest = request_digest(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    entry = IdempotentRequest.objects.create(
                        token=token, key=key, request_hash=digest
                    )
            except IntegrityError:
                return _replay(IdempotentRequest.objects.get(token=token, key=key), digest)
            result = view(request, *args, **kwargs)
            entry.status_code, entry.body = _body(result)
            entry.save(update_fields=["status_code", "body"])
            IdempotentRequest.objects.filter(
                token=token, created_at__lt=timezone.now() - KEPT_FOR
            ).delete()
        return result

    return wrapped


def _replay(entry: IdempotentRequest, digest: str) -> Status:
    if entry.request_hash != digest:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            _(
                "This Idempotency-Key was already used for a different request. Use a new key "
                "for a new request."
            ),
            errors=[(HEADER, _("Already used for a different request."))],
        )
    return Status(entry.status_code, entry.body)
