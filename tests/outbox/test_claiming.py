from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from suppliernet.outbox.claiming import claim_due, mark_claimed, select_due_ids
from suppliernet.outbox.delivery import DeliveryReport, deliver_due
from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.queueing import queue_mails
from tests.outbox.factories import greetings


@pytest.mark.django_db
def test_rows_another_worker_claimed_after_we_looked_are_not_claimed_again():
    queue_mails(greetings(3))
    now = timezone.now()
    with transaction.atomic():
        # Both workers see the same due rows before either marks them: what row locks
        # (PostgreSQL) or serialized writers (SQLite) prevent. The conditional update alone
        # must still give each row to one worker.
        seen_by_a = select_due_ids(now=now, limit=10)
        seen_by_b = select_due_ids(now=now, limit=10)
        assert sorted(seen_by_a) == sorted(seen_by_b)
        claimed_by_a = list(mark_claimed(seen_by_a, now=now, worker="a"))
        claimed_by_b = list(mark_claimed(seen_by_b, now=now, worker="b"))
    assert len(claimed_by_a) == 3
    assert claimed_by_b == []
    assert set(OutgoingMail.objects.values_list("claimed_by", flat=True)) == {"a"}


@pytest.mark.django_db
def test_claimed_mail_is_not_claimed_again_while_the_claim_is_fresh():
    queue_mails(greetings(2))
    assert len(claim_due(batch_size=10, worker="a")) == 2
    assert claim_due(batch_size=10, worker="b") == []


@pytest.mark.django_db
def test_mail_stuck_in_sending_after_a_crash_is_sent_again_exactly_once(smtp_server, settings):
    mails = queue_mails(greetings(2))
    # A worker claimed them and died before sending or recording anything.
    claim_due(batch_size=10, worker="dead-worker")
    assert deliver_due().claimed == 0, "a live claim is respected"

    timed_out = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT + 1)
    OutgoingMail.objects.update(claimed_at=timed_out)
    report = deliver_due(worker="rescuer")

    assert report.sent == 2
    for mail in OutgoingMail.objects.all():
        assert (mail.status, mail.claimed_by, mail.attempts) == (MailStatus.SENT, "rescuer", 2)
    assert deliver_due().claimed == 0
    assert sorted(smtp_server.message_ids) == sorted(mail.message_id for mail in mails)


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks and runs one writer at a time; "
    "test_rows_another_worker_claimed_after_we_looked_are_not_claimed_again covers it",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message(smtp_server):
    mails = queue_mails(greetings(200))
    start = threading.Barrier(2)
    reports: dict[str, DeliveryReport] = {}

    def work(name: str) -> None:
        try:
            start.wait()
            total = DeliveryReport()
            while (report := deliver_due(batch_size=10, worker=name)).claimed:
                total.add(report)
            reports[name] = total
        finally:
            connections.close_all()  # this thread's own database connection

    workers = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(smtp_server.message_ids) == sorted(mail.message_id for mail in mails)
    assert reports["a"].sent + reports["b"].sent == 200
    assert reports["a"].sent > 0 and reports["b"].sent > 0, "both workers took part"
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
