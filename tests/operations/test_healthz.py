from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from suppliernet.outbox.tasks import deliver_outbox


def healthz():
    return Client().get("/healthz")


@pytest.mark.django_db
def test_healthz_is_public_uncached_and_ok_with_an_empty_queue():
    response = healthz()
    body = response.json()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert body["ok"] is True
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["worker"]["oldest_due_task_waiting_seconds"] == 0


@pytest.mark.django_db
def test_healthz_fails_when_a_due_task_waits_longer_than_the_limit(settings):
    settings.HEALTHZ_MAX_TASK_WAIT = 300
    deliver_outbox.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=301))

    response = healthz()
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_the_load_balancer_check_leaves_the_workers_out(settings):
    deliver_outbox.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))

    response = Client().get("/healthz?workers=0")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": {"ok": True}}


@pytest.mark.django_db
def test_healthz_ignores_tasks_deferred_to_the_future_and_reports_the_last_finished(settings):
    deliver_outbox.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=2))
    finished = timezone.now() - timedelta(minutes=1)
    deliver_outbox.enqueue()
    DBTaskResult.objects.filter(run_after__gt=timezone.now() + timedelta(days=365)).update(
        status="SUCCESSFUL", finished_at=finished
    )

    worker = healthz().json()["checks"]["worker"]
    assert worker["ok"] is True
    assert worker["latest_task_finished_at"] == finished.isoformat()


@pytest.mark.django_db
def test_healthz_shows_no_company_data(alice, company_a):
    assert company_a.legal_name not in healthz().content.decode()
