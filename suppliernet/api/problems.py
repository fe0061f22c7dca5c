"""Errors as `application/problem+json` (RFC 9457), whatever raised them: our own refusals
(`ApiProblem`), ninja's validation and authentication errors, Django's 404 and its limits on
request size. Each has `type`, `title`, `status`, `detail`, `instance` and `errors`, a list of
`{field, message}` (empty when no field is to blame)."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:suppliernet:problem:"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError]


class ApiProblem(Exception):
    """A refusal with its HTTP status; `extra` adds members (e.g. the existing object's ID)."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Conflict"),
        413: _("Request too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem_response(request: HttpRequest, problem: ApiProblem) -> HttpResponse:
    body = {
        "type": TYPE_PREFIX + problem.kind,
        "title": titles().get(problem.status, _("Error")),
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
        "errors": [{"field": field, "message": message} for field, message in problem.errors],
        **problem.extra,
    }
    response = HttpResponse(json.dumps(body), status=problem.status, content_type=MEDIA_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_name(loc: tuple | list) -> str:
    """ninja's error location ("body", "payload", "emails", 0) as "emails.0"; the parameter
    holding the whole body is not a field the client knows of."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 1 and parts[1] == "payload" else parts[1:]
    elif parts and parts[0] in ("query", "path", "header", "form", "file"):
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or "body"


def _own(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc)


def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [(field_name(error.get("loc", ())), str(error.get("msg"))) for error in exc.errors]
    return problem_response(request, validation_problem(errors))


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = _("Send a valid API token: Authorization: Bearer <token>.")
    return problem_response(
        request,
        ApiProblem(401, "unauthenticated", detail, headers={"WWW-Authenticate": "Bearer"}),
    )


def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return problem_response(request, ApiProblem(403, "forbidden", str(exc)))


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds Retry-After to this response.
    detail = _("This token made too many requests; wait and try again.")
    return problem_response(request, ApiProblem(429, "rate-limited", detail))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and exc.__cause__ is not None:
        # ninja's "Cannot parse request body": the parser's reason is the useful part.
        detail = _("The request body is not valid JSON: %(reason)s") % {"reason": exc.__cause__}
    return problem_response(request, ApiProblem(exc.status_code, "http-error", detail))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, ApiProblem(404, "not-found", _("No such object.")))


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(request, ApiProblem(413, "too-large", str(exc)))


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return problem_response(request, ApiProblem(400, "bad-request", str(exc)))


def _malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    detail = _("The multipart body cannot be read: %(reason)s") % {"reason": exc}
    return problem_response(request, ApiProblem(400, "bad-request", detail))


def _crashed(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API request failed: %s %s", request.method, request.path, exc_info=exc)
    detail = _("Something went wrong on our side; it was logged. Try again later.")
    return problem_response(request, ApiProblem(500, "server-error", detail))


# Looked up along the exception's MRO, so the most specific class wins.
HANDLERS = {
    ApiProblem: _own,
    NinjaValidationError: _invalid,
    AuthenticationError: _unauthenticated,
    AuthorizationError: _forbidden,
    Throttled: _throttled,
    HttpError: _http_error,
    Http404: _not_found,
    RequestDataTooBig: _too_big,
    SuspiciousOperation: _suspicious,
    MultiPartParserError: _malformed_multipart,
    Exception: _crashed,
}


def install_handlers(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)


def invalid_form(form: Any) -> ApiProblem:
    """A Django form's errors (the pages' own validation) as a 422 problem."""
    errors = [
        ("body" if field == "__all__" else field, str(message))
        for field, messages in form.errors.items()
        for message in messages
    ]
    return validation_problem(errors)


def validation_problem(errors: list[tuple[str, str]]) -> ApiProblem:
    count = len(errors)
    detail = ngettext(
        "The request has %(count)s invalid field.",
        "The request has %(count)s invalid fields.",
        count,
    )
    return ApiProblem(422, "validation", detail % {"count": count}, errors=errors)
