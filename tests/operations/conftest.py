"""Real worker processes for these tests: they need a database and files they can see.

`worker_env` is the environment for a child process (`manage.py db_worker`, `rqworker`): the
test database (PostgreSQL's `test_<name>` is a real database; SQLite's in-memory test
database is swapped for a migrated file for the test), the test's MEDIA_ROOT, and the
`smtp_server` fixture as the outbox's transport.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **kwargs)


def _postgres_url(settings_dict: dict) -> str:
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def smtp_server():
    """For the worker processes (EMAIL_URL in worker_env), without parsing each message
    (thousands here): Message-IDs and envelopes are still recorded."""
    server = SMTPServer(parse=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker_env(transactional_db, smtp_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DEBUG": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _postgres_url(settings_dict)
        yield env
        return
    database = tmp_path / "workers.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # Django ignores close() on an in-memory database (closing would destroy it): keep its
    # connection aside, talk to the file for the test, then put the in-memory one back.
    in_memory, kept = settings_dict["NAME"], connection.connection
    connection.connection = None
    settings_dict["NAME"] = str(database)
    try:
        yield env
    finally:
        connection.close()
        settings_dict["NAME"] = in_memory
        connection.connection = kept
