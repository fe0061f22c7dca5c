"""What a load balancer or monitor needs to know: can this process reach the database, and is
some task worker taking work off the queue.

django-tasks-db keeps no worker heartbeat, so the queue itself is the signal: a task that is
due and still READY long after it became due means no worker is running (or all are stuck).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max


@dataclass
class Health:
    ok: bool = True
    checks: dict[str, Any] = field(default_factory=dict)


def check_health(*, workers: bool = True, now: datetime | None = None) -> Health:
    """`workers=False`: the database only, for a load balancer deciding whether this web
    process can serve (a stopped worker pool must not take every web machine out)."""
    now = now or timezone.now()
    health = Health()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        health.checks["database"] = {"ok": True}
    except DatabaseError as error:
        health.ok = False
        health.checks["database"] = {"ok": False, "error": error.__class__.__name__}
        return health  # the worker check reads the same database
    if not workers:
        return health
    health.checks["worker"] = _worker_check(now)
    health.ok = health.checks["worker"]["ok"]
    return health


def _worker_check(now: datetime) -> dict[str, Any]:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        # RQ keeps its own worker registry in Redis: monitor it there (rq info).
        return {"ok": True, "backend": type(backend).__name__, "checked": False}
    oldest_due = oldest_due_since(now=now)
    waiting = (now - oldest_due).total_seconds() if oldest_due else 0.0
    latest = (
        DBTaskResult.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return {
        "ok": waiting <= settings.HEALTHZ_MAX_TASK_WAIT,
        "backend": type(backend).__name__,
        "oldest_due_task_waiting_seconds": round(waiting, 1),
        "max_waiting_seconds": settings.HEALTHZ_MAX_TASK_WAIT,
        "latest_task_finished_at": latest.isoformat() if latest else None,
    }


def oldest_due_since(*, now: datetime) -> datetime | None:
    """When the longest-waiting due task became due: its run_after, or its enqueue time if it
    had none (django-tasks-db stores "no run_after" as the largest date)."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    undeferred = (
        ready.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    deferred = (
        ready.filter(run_after__lte=now).order_by("run_after").values_list("run_after", flat=True)
    ).first()
    return min((when for when in (undeferred, deferred) if when is not None), default=None)
