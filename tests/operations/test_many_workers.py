"""Several real `db_worker` processes against one PostgreSQL, as on several machines: every
e-mail leaves exactly once and imports count exactly, however the work is shared out."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from suppliernet.imports.models import Status, SupplierImport
from suppliernet.imports.processing import start_processing
from suppliernet.invitations.models import Invitation
from suppliernet.network.models import Supplier
from suppliernet.operations.health import oldest_due_since
from suppliernet.outbox.models import MailStatus, OutgoingMail
from tests.imports.helpers import csv_bytes, validated
from tests.operations.conftest import manage
from tests.operations.scenario import (
    addresses_of,
    delivered_once_each,
    notifying_rows,
    queue_import,
    queue_invitations,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes one writer at a time, so several worker processes prove nothing "
        "there; the PostgreSQL pass of .ci/run runs these",
    ),
]


def run_workers(env: dict[str, str], count: int, *, timeout: float) -> None:
    """`count` db_worker processes until no task, mail or import is left in flight."""
    command = ("db_worker", "--interval", "0.2", "--no-reload", "--no-startup-delay")
    workers = [manage(*command, env=env) for _ in range(count)]
    try:
        deadline = time.monotonic() + timeout
        while not _all_done():
            assert time.monotonic() < deadline, "the workers did not finish in time"
            assert all(worker.poll() is None for worker in workers), "a worker died"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)


def _all_done() -> bool:
    # A delivery run booked for later (a claim's timeout) is not work in flight.
    return not (
        oldest_due_since(now=timezone.now())
        or DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
        or OutgoingMail.objects.filter(status__in=(MailStatus.QUEUED, MailStatus.SENDING)).exists()
        or SupplierImport.objects.filter(status=Status.PROCESSING).exists()
    )


def no_failed_tasks() -> None:
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert not failed.exists(), [(row.task_path, row.traceback[-500:]) for row in failed]


# 5,000 invitations: the figure. On the shared 2-core CI machine the test (setup, four
# workers, the SMTP server in this process) took 77-115 s, mostly CPU-bound e-mail rendering
# and SMTP with four workers, PostgreSQL and the server on two cores.
INVITATIONS = 5_000
IMPORT_ROWS = 3_000


def test_four_workers_send_each_invitation_once_and_count_the_import_exactly(
    worker_env, smtp_server, company_a, alice
):
    invited = queue_invitations(company_a, alice, INVITATIONS)
    rows = notifying_rows(100_000, IMPORT_ROWS)
    supplier_import = queue_import(company_a, alice, rows)

    run_workers(worker_env, 4, timeout=170)

    no_failed_tasks()
    supplier_import.refresh_from_db()
    assert (supplier_import.status, supplier_import.message) == (Status.DONE, "")
    assert (supplier_import.created, supplier_import.invited, supplier_import.failed) == (
        IMPORT_ROWS,
        IMPORT_ROWS // 3,
        0,
    )
    assert Supplier.objects.for_company(company_a).count() == INVITATIONS + IMPORT_ROWS
    delivered_once_each(smtp_server, invited | addresses_of(rows))
    assert not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists()


def test_two_imports_of_the_same_file_at_once_make_no_duplicates(
    worker_env, smtp_server, company_a, alice
):
    rows = notifying_rows(200_000, 600)
    content = csv_bytes(rows)
    imports = [validated(company_a, alice, content, name=f"copy{n}.csv") for n in (1, 2)]
    for supplier_import in imports:
        start_processing(supplier_import=supplier_import, by=alice, valid_only=False)

    run_workers(worker_env, 2, timeout=120)

    no_failed_tasks()
    for supplier_import in imports:
        supplier_import.refresh_from_db()
        assert (supplier_import.status, supplier_import.message, supplier_import.failed) == (
            Status.DONE,
            "",
            0,
        )
        assert supplier_import.created + supplier_import.updated + supplier_import.unchanged == (
            len(rows)
        )
    # Chunks of one buyer's imports take turns: every row is created by exactly one of them
    # and found unchanged by the other.
    assert sum(result.created for result in imports) == len(rows)
    assert sum(result.unchanged for result in imports) == len(rows)
    assert sum(result.invited for result in imports) == len(addresses_of(rows))
    tax_ids = Counter(Supplier.objects.for_company(company_a).values_list("tax_id", flat=True))
    assert len(tax_ids) == len(rows) and max(tax_ids.values()) == 1
    invitations = Counter(Invitation.objects.values_list("supplier_id", "email"))
    assert len(invitations) == len(addresses_of(rows)) and max(invitations.values()) == 1
    delivered_once_each(smtp_server, addresses_of(rows))
