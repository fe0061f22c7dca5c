from __future__ import annotations

import json
import re

import schemathesis
from django.contrib.staticfiles import finders
from django.test import Client

from suppliernet.api.problems import MEDIA_TYPE

OPERATIONS = {
    ("get", "/api/v1/suppliers"),
    ("post", "/api/v1/suppliers"),
    ("get", "/api/v1/suppliers/{supplier_id}"),
    ("patch", "/api/v1/suppliers/{supplier_id}"),
    ("post", "/api/v1/suppliers/{supplier_id}/invitations"),
    ("post", "/api/v1/invitations"),
    ("get", "/api/v1/invitations"),
    ("get", "/api/v1/invitations/{invitation_id}"),
    ("post", "/api/v1/invitations/{invitation_id}/resend"),
    ("post", "/api/v1/invitations/{invitation_id}/revoke"),
    ("post", "/api/v1/imports"),
    ("get", "/api/v1/imports"),
    ("get", "/api/v1/imports/{import_id}"),
    ("post", "/api/v1/imports/{import_id}/process"),
    ("get", "/api/v1/imports/{import_id}/errors"),
    ("post", "/api/v1/documents"),
    ("get", "/api/v1/documents/uploads/{upload_id}"),
}


def schema() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(db):
    raw = schema()
    assert raw["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(raw).validate()  # against the OpenAPI meta-schema


def test_the_schema_lists_every_operation_with_bearer_auth(db):
    raw = schema()
    found = {(method, path) for path, ops in raw["paths"].items() for method in ops}
    assert found >= OPERATIONS, OPERATIONS - found
    assert raw["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, ops in raw["paths"].items():
        for method, operation in ops.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)


def test_errors_are_documented_as_problems_and_posts_take_an_idempotency_key(db):
    raw = schema()
    assert set(raw["components"]["schemas"]["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "errors",
    }
    for path, ops in raw["paths"].items():
        for method, operation in ops.items():
            for code in ("401", "422", "429"):
                assert MEDIA_TYPE in operation["responses"][code]["content"], (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            assert ("Idempotency-Key" in headers) == (method == "post"), (method, path)


def test_the_docs_page_loads_everything_from_this_site(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(?:https?:)?//", html), "an external URL in the docs page"
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert {"ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css"} <= set(assets)
    for asset in assets:
        assert finders.find(asset), asset
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["validatorUrl"] is None  # Swagger UI would ask validator.swagger.io
    assert settings["url"] == "/api/v1/openapi.json"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp
