"""The API v1 object: its routers, error handling, authentication, rate limit and schema.

The docs page is Swagger UI from ninja's own static files (no CDN), under a CSP that allows
nothing but this site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger

from suppliernet.api import documents, imports, invitations, suppliers
from suppliernet.api.auth import TokenAuth, TokenThrottle
from suppliernet.api.idempotency import HEADER, KEY_PATTERN, idempotent
from suppliernet.api.problems import (
    MEDIA_TYPE,
    ApiProblem,
    Problem,
    install_handlers,
    problem_response,
)

DESCRIPTION = """What the Suppliers, Invitations, Imports and Documents pages do, for an ERP.

* **Authentication**: `Authorization: Bearer <token>`. A company admin creates tokens under
  Company → API tokens (or `manage.py create_api_token`). Each token acts for one company;
  read-only tokens get 403 on every write.
* **Errors** are `application/problem+json` (RFC 9457) with `errors: [{field, message}]`.
* **Idempotency-Key** on any POST: the same key and body return the first answer and do
  nothing twice; the same key with another body is a 422.
* **Rate limit** per token; over it, 429 with `Retry-After`.
* **Lists** are paged with an opaque `cursor`: pass `next_cursor` from the previous page.
"""

# Every operation may answer these; 404 only where the path names an object.
COMMON_PROBLEMS = {
    "400": "Malformed request (a body that is not JSON)",
    "401": "Missing, unknown or revoked token",
    "422": "Invalid input; `errors` names each field",
    "429": "Rate limit reached; see Retry-After",
}
WRITE_PROBLEMS = {
    "403": "Read-only token",
    "409": "Conflicts with the current state",
    "413": "Request body too large",
}


def unknown_route(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other URL under the API (a malformed ID too) is a problem+json 404, not a page."""
    return problem_response(request, ApiProblem(404, "not-found", _("No such API route.")))


class SupplierNetApi(NinjaAPI):
    @property
    def urls(self) -> tuple[list, str, str]:
        patterns, app_name, namespace = super().urls
        # ninja's root page is a plain 404 too; its name stays, the schema's paths use it.
        patterns = [pattern for pattern in patterns if pattern.name != "api-root"]
        view = csrf_exempt(unknown_route)
        return (
            [*patterns, path("", view, name="api-root"), re_path(r"^(?P<rest>.*)$", view)],
            app_name,
            namespace,
        )

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """ninja's schema plus what the handlers outside the views add: problem responses
        and the Idempotency-Key header."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem_schema.pop("$defs", {}))
        schemas["Problem"] = problem_schema
        for route, operations in schema["paths"].items():
            for method, operation in operations.items():
                codes = {**COMMON_PROBLEMS}
                if method != "get":
                    codes.update(WRITE_PROBLEMS)
                if "{" in route:
                    codes["404"] = "No such object in your company"
                documented = {str(code) for code in operation["responses"]}
                for code, description in codes.items():
                    if code not in documented:
                        operation["responses"][code] = _problem(description, code)
                if method == "post":
                    operation.setdefault("parameters", []).append(_idempotency_header())
        return schema


def _problem(description: str, code: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if code == "429":
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        }
    return response


def _idempotency_header() -> dict[str, Any]:
    return {
        "name": HEADER,
        "in": "header",
        "required": False,
        "description": "Any unique string (a UUID): a repeat returns the first answer.",
        "schema": {"type": "string", "pattern": KEY_PATTERN},
    }


api = SupplierNetApi(
    title="SupplierNet API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=TokenThrottle(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
install_handlers(api)
api.add_decorator(idempotent, mode="operation")
api.add_router("", suppliers.router)
api.add_router("", invitations.router)
api.add_router("", imports.router)
api.add_router("", documents.router)
