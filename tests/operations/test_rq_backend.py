"""The task backend switched to Redis/RQ (TASKS_BACKEND=rq): the invitation and import tasks
run in a real `rqworker` process against a real Redis, database and SMTP server."""

from __future__ import annotations

import os
import socket

import pytest
import redis

from suppliernet.imports.models import Status
from tests.operations.conftest import manage
from tests.operations.scenario import (
    addresses_of,
    delivered_once_each,
    notifying_rows,
    queue_import,
    queue_invitations,
)

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, emptied around the test


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


if not _redis_up() and os.environ.get("REQUIRE_REDIS"):
    raise RuntimeError("REQUIRE_REDIS is set but Redis is not answering on 127.0.0.1:6379")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379"),
]


@pytest.fixture
def rq_env(worker_env, settings):
    """This process enqueues into RQ and the worker reads from it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield {**worker_env, "TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL}
    client.flushdb()


def run_rqworker(env: dict[str, str]) -> None:
    """Works until the queue is empty (burst), in its own process."""
    worker = manage("rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default", env=env)
    assert worker.wait(timeout=120) == 0


def test_invitations_and_an_import_run_in_an_rq_worker(rq_env, smtp_server, company_a, alice):
    invited = queue_invitations(company_a, alice, 20)
    rows = notifying_rows(1000, 30)
    supplier_import = queue_import(company_a, alice, rows)

    run_rqworker(rq_env)  # the invitations' delivery and the import, which queues more mail
    run_rqworker(rq_env)  # the delivery the import enqueued, if the first run ended before it

    supplier_import.refresh_from_db()
    assert (supplier_import.status, supplier_import.message) == (Status.DONE, "")
    assert (supplier_import.created, supplier_import.invited, supplier_import.failed) == (30, 10, 0)
    delivered_once_each(smtp_server, invited | addresses_of(rows))
