from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from suppliernet.operations.logs import JSONFormatter
from suppliernet.operations.requestid import accepted_request_id, current_request_id


@pytest.mark.django_db
def test_the_proxy_request_id_is_kept_and_echoed():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="edge-4f2a.91")
    assert response["X-Request-ID"] == "edge-4f2a.91"


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one():
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize("bad", ["a b", "x" * 65, "id\nforged log line", '"><script>', ""])
def test_unsafe_request_ids_are_replaced(bad):
    assert accepted_request_id(bad) != bad


def record(message: str, **kwargs) -> logging.LogRecord:
    return logging.LogRecord("suppliernet.test", logging.ERROR, __file__, 1, message, (), **kwargs)


def test_json_log_lines_carry_level_logger_message_and_exception():
    try:
        raise ValueError("bad row 7")
    except ValueError:
        import sys

        line = JSONFormatter().format(record("import failed", exc_info=sys.exc_info()))
    entry = json.loads(line)
    assert "\n" not in line
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "suppliernet.test",
        "import failed",
    )
    assert "ValueError: bad row 7" in entry["exception"]
    assert entry["request_id"] is None and entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_log_lines_written_during_a_request_carry_its_id():
    seen: list[str | None] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(json.loads(JSONFormatter().format(record))["request_id"])

    handler = Capture(level=logging.WARNING)
    logging.getLogger("django.request").addHandler(handler)
    try:
        Client().get("/no-such-page", HTTP_X_REQUEST_ID="req-123")  # 404: logged as a warning
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert seen == ["req-123"]
    assert current_request_id() is None
