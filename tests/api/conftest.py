from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from suppliernet.api.models import TokenRole
from suppliernet.api.tokens import create_token

BASE = "/api/v1"


class ApiClient:
    """Django's test client speaking JSON with a bearer token, as an ERP would."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _call(self, method: str, path: str, body: Any = None, headers=None, **kwargs):
        extra = {**self.headers, **(headers or {})}
        if body is not None and "data" not in kwargs:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"{BASE}{path}", headers=extra, **kwargs)

    def get(self, path: str, params: dict | None = None, **kwargs):
        return self._call("get", path, data=params or {}, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs):
        return self._call("post", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs):
        return self._call("patch", path, body, **kwargs)


@pytest.fixture
def admin_token(company_a, alice):
    return create_token(company=company_a, name="ERP", role=TokenRole.ADMIN, by=alice)


@pytest.fixture
def read_token(company_a, alice):
    return create_token(company=company_a, name="BI", role=TokenRole.READ, by=alice)


@pytest.fixture
def api(admin_token) -> ApiClient:
    """Company A's ERP with an admin token."""
    return ApiClient(admin_token.secret)


@pytest.fixture
def read_api(read_token) -> ApiClient:
    return ApiClient(read_token.secret)


@pytest.fixture
def api_b(company_b, charlie) -> ApiClient:
    """Company B's ERP."""
    return ApiClient(create_token(company=company_b, name="B", role="admin", by=charlie).secret)


def assert_problem(response, status: int, field: str | None = None) -> dict:
    """An RFC 9457 problem with our members; `field` must be among its errors."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(body)
    assert body["status"] == status
    assert body["type"].startswith("urn:suppliernet:problem:")
    assert body["instance"] == response.wsgi_request.path
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
    return body
