"""gunicorn settings for SupplierNet: `gunicorn -c deploy/gunicorn.conf.py suppliernet.wsgi`.

Everything comes from the environment so one file serves every machine (see docs/deploy.md).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

from gunicorn import glogging

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the app is request/response with short queries; heavy work is in the task
# worker. Two per core is a good start on small machines.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Uploads of large import files are read by the request before the worker takes over.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))  # behind a proxy that reuses them
# Recycle workers now and then so a slow leak never takes a machine down; jitter staggers them.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The proxy terminates TLS and sets X-Forwarded-*; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")

errorlog = "-"
accesslog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class JSONAccessLogger(glogging.Logger):
    """One JSON object per request (json.dumps escapes what clients send: quotes, newlines);
    the request ID is the one RequestIDMiddleware put on the response, so access and
    application lines join on it."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o"),
            "remote": atoms.get("{x-forwarded-for}i") or atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "status": atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": atoms["M"],
            "user_agent": atoms["a"],
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False, default=str))


logger_class = JSONAccessLogger
