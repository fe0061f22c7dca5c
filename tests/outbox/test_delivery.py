from __future__ import annotations

from datetime import UTC, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.utils import timezone

from suppliernet.outbox import delivery
from suppliernet.outbox.delivery import deliver_due, retry_ceiling, retry_delay
from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.queueing import queue_mail, queue_mails
from suppliernet.outbox.signals import mail_failed, mails_sent
from tests.outbox.factories import greeting, greetings

pytestmark = pytest.mark.django_db


def time_passes() -> None:
    """Every retry that is waiting becomes due."""
    OutgoingMail.objects.filter(status=MailStatus.QUEUED).update(next_attempt_at=timezone.now())


@pytest.fixture
def signals():
    received: list[tuple[str, OutgoingMail, bool | None]] = []

    def on_sent(sender, mails, **kwargs):
        received.extend(("sent", mail, None) for mail in mails)

    def on_failed(sender, mail, permanent, **kwargs):
        received.append(("failed", mail, permanent))

    mails_sent.connect(on_sent)
    mail_failed.connect(on_failed)
    yield received
    mails_sent.disconnect(on_sent)
    mail_failed.disconnect(on_failed)


def test_queued_mail_is_delivered_with_both_parts_and_our_message_id(smtp_server, settings):
    settings.EMAIL_REPLY_TO = "soporte@suppliernet.example"
    mail = queue_mail(greeting(to="ana@proveedor.example", company="Pérez & Hijos <Ltda>"))

    report = deliver_due()

    assert (report.claimed, report.sent) == (1, 1)
    [message] = smtp_server.messages
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.attempts == 1
    assert message["Message-ID"] == mail.message_id
    assert mail.message_id.endswith("@suppliernet.local>")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert "Pérez & Hijos <Ltda> invites you" in text
    assert "Pérez &amp; Hijos &lt;Ltda&gt; invites you" in html
    assert "K7QM-4X2P-9HDT" in text and "K7QM-4X2P-9HDT" in html
    assert message["Subject"] == "Suppliers: Pérez & Hijos <Ltda> invites Ana"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["To"] == "ana@proveedor.example"
    assert message["Reply-To"] == "soporte@suppliernet.example"
    sent_date = parsedate_to_datetime(message["Date"]).replace(tzinfo=UTC)  # "-0000": UTC
    assert abs(sent_date - timezone.now()) < timedelta(minutes=1)
    # What was rendered at delivery stays on the row, for the outbox page.
    assert (mail.subject, mail.text, mail.html) == (message["Subject"], text, html)
    assert abs(mail.sent_at - sent_date) < timedelta(seconds=2)


def test_mail_is_rendered_in_its_language(smtp_server):
    spanish = greeting()
    spanish.language = "es"
    queue_mail(spanish)
    deliver_due()
    assert smtp_server.messages[0]["Subject"].startswith("Proveedores:")


def test_a_batch_goes_over_one_connection(smtp_server):
    queue_mails(greetings(25))

    report = deliver_due(batch_size=100)

    assert report.sent == 25
    assert len(smtp_server.messages) == 25
    assert smtp_server.connections == 1


def test_each_batch_opens_one_connection(smtp_server):
    queue_mails(greetings(25))
    while deliver_due(batch_size=10).claimed:
        pass
    assert len(smtp_server.messages) == 25
    assert smtp_server.connections == 3


@pytest.fixture
def recorded_groups(monkeypatch):
    """For each record of accepted messages: how many it recorded, how many rows were sent."""
    groups: list[tuple[int, int]] = []

    def look(sender, mails, **kwargs):
        groups.append((len(mails), OutgoingMail.objects.filter(status=MailStatus.SENT).count()))

    mails_sent.connect(look)
    yield groups
    mails_sent.disconnect(look)


def test_accepted_messages_are_recorded_a_few_at_a_time(smtp_server, monkeypatch, recorded_groups):
    monkeypatch.setattr(delivery, "RECORD_EVERY", 2)
    monkeypatch.setattr(delivery, "RECORD_WITHIN", 3600)
    queue_mails([greeting(f"{n}@proveedor.example") for n in range(5)])

    assert deliver_due().sent == 5

    # The end of the batch records the rest.
    assert recorded_groups == [(2, 2), (2, 4), (1, 5)]


def test_on_a_slow_server_each_message_is_recorded_once_it_is_old_enough(
    smtp_server, monkeypatch, recorded_groups
):
    monkeypatch.setattr(delivery, "RECORD_WITHIN", 0)  # every message takes longer than this
    queue_mails([greeting(f"{n}@proveedor.example") for n in range(3)])

    assert deliver_due().sent == 3

    assert recorded_groups == [(1, 1), (1, 2), (1, 3)]


class WorkerKilled(BaseException):
    """kill -9: nothing after it runs, not even `finally` blocks."""


def test_a_worker_killed_mid_batch_sends_at_most_the_unrecorded_messages_again(
    smtp_server, monkeypatch, settings
):
    monkeypatch.setattr(delivery, "RECORD_EVERY", 3)
    monkeypatch.setattr(delivery, "RECORD_WITHIN", 3600)
    mails = queue_mails([greeting(f"{n}@proveedor.example") for n in range(10)])
    transmit, record = delivery._transmit, delivery.Accepted.record
    killed = False

    def transmit_then_die_at_the_eighth(*args):
        nonlocal killed
        transmit(*args)
        if len(smtp_server.messages) == 8:  # accepted by the server, not recorded by us
            killed = True
            raise WorkerKilled

    def record_unless_dead(self):
        if not killed:
            record(self)

    monkeypatch.setattr(delivery, "_transmit", transmit_then_die_at_the_eighth)
    monkeypatch.setattr(delivery.Accepted, "record", record_unless_dead)
    with pytest.raises(WorkerKilled):
        deliver_due(worker="killed")
    monkeypatch.setattr(delivery, "_transmit", transmit)
    monkeypatch.setattr(delivery.Accepted, "record", record)

    first_run = list(smtp_server.message_ids)
    sent = set(OutgoingMail.objects.filter(status=MailStatus.SENT).values_list("message_id"))
    assert sent == {(mid,) for mid in first_run[:6]}, "two groups of three were recorded"
    assert OutgoingMail.objects.filter(status=MailStatus.SENDING).count() == 4
    timed_out = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT + 1)
    OutgoingMail.objects.filter(status=MailStatus.SENDING).update(claimed_at=timed_out)
    assert deliver_due(worker="rescuer").sent == 4

    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    # The two accepted since the last record went out twice, with their one Message-ID each, so
    # a receiver can drop the copy; none was lost.
    twice = {mid for mid in smtp_server.message_ids if smtp_server.message_ids.count(mid) == 2}
    assert twice == set(first_run[6:8])
    assert len(twice) <= delivery.RECORD_EVERY
    assert sorted(set(smtp_server.message_ids)) == sorted(mail.message_id for mail in mails)


def test_server_down_keeps_mail_queued_until_it_is_back_none_lost_none_twice(smtp_server):
    mails = queue_mails(greetings(5))
    smtp_server.stop()

    report = deliver_due()

    assert report.retrying == 5 and report.connection_failed
    for mail in OutgoingMail.objects.all():
        assert mail.status == MailStatus.QUEUED
        assert mail.next_attempt_at > timezone.now()
        assert mail.attempts == 1
        assert "refused" in mail.last_error.lower()
    assert deliver_due().claimed == 0, "nothing is retried before its time"

    smtp_server.start()
    time_passes()
    assert deliver_due().sent == 5

    assert sorted(smtp_server.message_ids) == sorted(mail.message_id for mail in mails)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    assert deliver_due().claimed == 0


def test_temporary_refusal_is_retried_with_growing_backoff(smtp_server, settings, signals):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    mail = queue_mail(greeting())
    smtp_server.defer(3, "451 4.7.1 Greylisted, try again later")

    for attempt in (1, 2, 3):
        before = timezone.now()
        assert deliver_due().retrying == 1
        mail.refresh_from_db()
        assert mail.status == MailStatus.QUEUED
        assert mail.attempts == attempt
        assert mail.last_error == "451 4.7.1 Greylisted, try again later"
        wait = (mail.next_attempt_at - before).total_seconds()
        assert 1 <= wait <= 60 * 2 ** (attempt - 1) + 1
        time_passes()

    assert deliver_due().sent == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 4, "")
    assert [(kind, permanent) for kind, _mail, permanent in signals] == [
        ("failed", False),
        ("failed", False),
        ("failed", False),
        ("sent", None),
    ]
    assert len(smtp_server.messages) == 1


def test_backoff_doubles_up_to_the_cap_with_full_jitter(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    ceilings = [retry_ceiling(attempts) for attempts in range(1, 10)]
    assert ceilings == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    for attempts in (1, 4, 8):
        waits = [retry_delay(attempts).total_seconds() for _ in range(300)]
        assert min(waits) >= 1
        assert max(waits) <= retry_ceiling(attempts)
        # Spread over the whole range, not bunched at the ceiling.
        assert (
            min(waits) < retry_ceiling(attempts) / 4 < retry_ceiling(attempts) * 3 / 4 < max(waits)
        )


def test_a_recipient_refused_with_550_fails_with_the_reason_and_the_rest_go_out(
    smtp_server, signals
):
    smtp_server.reject("gone@proveedor.example", "550 5.1.1 <gone@proveedor.example>: User unknown")
    queue_mails([greeting(f"{name}@proveedor.example") for name in ("first", "gone", "last")])

    report = deliver_due()

    assert (report.sent, report.failed, report.retrying) == (2, 1, 0)
    gone = OutgoingMail.objects.get(to="gone@proveedor.example")
    assert gone.status == MailStatus.FAILED
    assert gone.failed_permanently
    assert gone.last_error == "550 5.1.1 <gone@proveedor.example>: User unknown"
    assert gone.subject, "what failed stays readable on the outbox page"
    assert [rcpts for _sender, rcpts in smtp_server.envelopes] == [
        ["first@proveedor.example"],
        ["last@proveedor.example"],
    ]
    assert smtp_server.connections == 1
    assert ("failed", True) in [(kind, permanent) for kind, _mail, permanent in signals]
    assert deliver_due().claimed == 0


def test_a_message_refused_at_data_with_554_fails_at_once(smtp_server):
    mail = queue_mail(greeting())
    smtp_server.defer(1, "554 5.7.1 Message rejected as spam")

    assert deliver_due().failed == 1

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)
    assert mail.last_error == "554 5.7.1 Message rejected as spam"


def test_mail_fails_for_good_when_retries_run_out(smtp_server, settings, signals):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    mail = queue_mail(greeting())
    smtp_server.defer(10)

    for _attempt in range(3):
        deliver_due()
        time_passes()

    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert mail.attempts == 3
    assert not mail.failed_permanently, "the server never refused it; it ran out of retries"
    assert mail.last_error == "451 4.3.0 Try again later (gave up after 3 attempts)"
    assert [permanent for _kind, _mail, permanent in signals] == [False, False, True]
    assert deliver_due().claimed == 0


def test_connection_lost_mid_batch_puts_the_rest_back_in_the_queue(
    smtp_server, settings, monkeypatch
):
    settings.EMAIL_TIMEOUT = 2
    queue_mails(greetings(5))

    transmit = delivery._transmit

    def server_goes_away_after_the_first(*args):
        transmit(*args)
        smtp_server.stop()

    monkeypatch.setattr(delivery, "_transmit", server_goes_away_after_the_first)
    report = deliver_due()

    assert (report.sent, report.retrying, report.released, report.failed) == (1, 1, 3, 0)
    assert report.connection_failed
    statuses = sorted(OutgoingMail.objects.values_list("status", "attempts"))
    assert statuses == [("queued", 0)] * 3 + [("queued", 1), ("sent", 1)]
    assert (
        OutgoingMail.objects.filter(
            status=MailStatus.QUEUED, next_attempt_at__gt=timezone.now()
        ).count()
        == 4
    )


def test_a_template_that_does_not_render_fails_that_message_only(smtp_server):
    broken = greeting("broken@proveedor.example")
    broken.template = "outbox_test/broken"
    queue_mails([broken, greeting("fine@proveedor.example")])

    report = deliver_due()

    assert (report.sent, report.failed) == (1, 1)
    failed = OutgoingMail.objects.get(to="broken@proveedor.example")
    assert failed.failed_permanently
    assert failed.last_error.startswith("NoReverseMatch")


def test_a_run_stops_sending_before_its_claim_could_expire(smtp_server, settings):
    settings.OUTBOX_CLAIM_TIMEOUT = 0
    queue_mails(greetings(3))

    report = deliver_due()

    assert (report.sent, report.released) == (0, 3)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.QUEUED}
    assert smtp_server.messages == []


def test_a_failing_receiver_neither_undoes_the_result_nor_stops_the_batch(smtp_server):
    queue_mails(greetings(3))

    def broken_receiver(sender, mails, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE no_such_table SET x = 1")

    mails_sent.connect(broken_receiver)
    try:
        report = deliver_due()
    finally:
        mails_sent.disconnect(broken_receiver)

    assert report.sent == 3
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    assert len(smtp_server.messages) == 3


def test_the_development_transports_get_the_message_the_server_would(settings, mailoutbox):
    settings.OUTBOX_TRANSPORT_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail = queue_mail(greeting(to="ana@proveedor.example"))

    assert deliver_due().sent == 1

    [message] = mailoutbox
    assert (message.subject, message.to) == (
        "Suppliers: Almacenes Andinos S.A.S. invites Ana",
        [mail.to],
    )
    assert "K7QM-4X2P-9HDT" in message.body
    written = message.message()
    assert written["Message-ID"] == mail.message_id
    assert written.get_content_type() == "multipart/alternative"
