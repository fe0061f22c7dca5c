from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.queueing import queue_mail, queue_mails
from suppliernet.outbox.tasks import deliver_outbox
from tests.outbox.factories import greeting, greetings

pytestmark = pytest.mark.django_db


def booked_runs():
    return DBTaskResult.objects.filter(
        task_path=deliver_outbox.module_path, status=TaskResultStatus.READY
    )


def test_a_transaction_books_one_delivery_run_however_much_it_queues(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue_mail(greeting("a@proveedor.example"))
        queue_mails(greetings(50))
        queue_mail(greeting("b@proveedor.example"))
    assert len(callbacks) == 1
    assert booked_runs().count() == 1


def test_no_delivery_is_booked_for_a_rolled_back_transaction(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_mail(greeting())
        raise RuntimeError("the invitation could not be saved")
    assert callbacks == []
    assert not OutgoingMail.objects.exists()
    assert not booked_runs().exists()


def test_a_run_that_has_not_started_yet_serves_later_mail_too(django_capture_on_commit_callbacks):
    for spec in greetings(3):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            queue_mail(spec)
    assert booked_runs().count() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_the_worker_delivers_everything_due_and_books_the_next_retry(smtp_server, settings):
    settings.OUTBOX_BATCH_SIZE = 10
    queue_mails(greetings(25))
    smtp_server.defer(1)  # the first message gets a 451
    DBTaskResult.objects.all().delete()
    deliver_outbox.enqueue()

    call_command("db_worker", batch=True, interval=0, verbosity=0)

    assert len(smtp_server.messages) == 24
    waiting = OutgoingMail.objects.get(status=MailStatus.QUEUED)
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 24
    [next_run] = booked_runs()
    assert next_run.run_after == waiting.next_attempt_at
    assert smtp_server.connections == 3
