"""Applying a checked file (the process task): its valid rows are written chunk by chunk.

Each chunk is one transaction that holds the import's row lock: it writes the supplier
companies (INSERT … ON CONFLICT DO NOTHING), upserts the suppliers (an empty optional cell
keeps the stored value), adds their groups, invites the Notify = 1 rows through the
invitations outbox, records each row's outcome and the import's counts, and moves
`last_line` past the chunk. A worker that dies loses only its open chunk; running the task
again goes on after the last committed one, and a second worker on the same import waits
for the lock and then takes the next chunk. Upserts and invitations are idempotent anyway.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suppliernet.audit.models import Channel as AuditChannel
from suppliernet.audit.recording import record
from suppliernet.bulk import insert_rows
from suppliernet.companies.models import Company, User
from suppliernet.imports import sql
from suppliernet.imports.matching import StoredSupplier, changes, stored_suppliers
from suppliernet.imports.models import (
    Action,
    ImportRow,
    NotifyOutcome,
    Outcome,
    Status,
    SupplierImport,
)
from suppliernet.imports.rules import IDENTITY_AND_TEXTS, TEXT_FIELDS, SupplierRow
from suppliernet.imports.signals import import_finished
from suppliernet.invitations.sending import Invitee, Skip, invite_suppliers
from suppliernet.network.models import Source, Supplier
from suppliernet.network.suppliers import resolve_groups
from suppliernet.network.text import fold

logger = logging.getLogger(__name__)

SKIPPED = {
    Skip.REGISTERED: NotifyOutcome.REGISTERED,
    Skip.INVITED: NotifyOutcome.ALREADY_INVITED,
    Skip.NO_EMAIL: NotifyOutcome.NO_EMAIL,
}
_STAGED = ("id", "line", "country", "tax_id", "name", *TEXT_FIELDS, "emails", "groups", "notify")
_SUPPLIER_COLUMNS = (
    "id",
    "buyer",
    "company",
    *IDENTITY_AND_TEXTS,
    "email",
    "other_emails",
    "source",
    "name_folded",
    "city_folded",
    "created_at",
    "updated_at",
)


class ProcessingRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def start_processing(
    *, supplier_import: SupplierImport, by: User | None, valid_only: bool, enqueue: bool = True
) -> SupplierImport:
    """Process File: marks the import as processing and enqueues the task (`enqueue=False`:
    the caller runs `process_file`). A failed or stalled import is resumed after its last
    chunk; were its first worker still alive after all, the two would take turns on chunks.

    Raises ProcessingRefused when the file is not checked, has no valid row, or has rows
    with errors and `valid_only` was not chosen.
    """
    with transaction.atomic():
        locked = SupplierImport.objects.select_for_update().get(pk=supplier_import.pk)
        if locked.status not in (Status.VALIDATED, Status.FAILED) and not locked.is_stalled:
            raise ProcessingRefused(_("This file is not waiting to be processed."))
        if not locked.rows_valid:
            raise ProcessingRefused(
                _("No row of this file can be imported. Fix the file and upload it again.")
            )
        if locked.rows_with_errors and not valid_only:
            raise ProcessingRefused(
                _(
                    "Some rows have errors. Choose to process only the valid rows, or fix the "
                    "file and upload it again."
                )
            )
        resumed = locked.status != Status.VALIDATED
        locked.status = Status.PROCESSING
        locked.message = ""
        locked.process_valid_only = valid_only
        if not resumed:
            locked.processed_by = by
            locked.started_at = timezone.now()
            locked.rows_done = 0
        locked.save()
        if enqueue:
            from suppliernet.imports.tasks import process_import

            transaction.on_commit(lambda: process_import.enqueue(str(locked.pk)))
    return locked


def process_file(*, supplier_import: SupplierImport) -> SupplierImport:
    """Writes every chunk not written yet, then the result. Safe to run again at any time."""
    try:
        while write_chunk(supplier_import=supplier_import):
            pass
    except Exception:
        logger.exception("Import %s stopped", supplier_import.pk)
        stopped = SupplierImport.objects.filter(
            pk=supplier_import.pk, status=Status.PROCESSING
        ).update(
            status=Status.FAILED,
            message=_(
                "Processing stopped unexpectedly. The rows written so far are kept; process "
                "the file again to finish it."
            ),
            updated_at=timezone.now(),
        )
        if stopped:
            import_finished.send(sender=SupplierImport, supplier_import_id=supplier_import.pk)
        raise
    _finish(supplier_import)
    supplier_import.refresh_from_db()
    return supplier_import


def write_chunk(*, supplier_import: SupplierImport) -> bool:
    """Writes the next chunk of valid rows; False when none is left (or the import is not
    processing any more)."""
    with transaction.atomic():
        locked = (
            SupplierImport.objects.select_for_update(of=("self",))
            .select_related("buyer", "processed_by")
            .get(pk=supplier_import.pk)
        )
        if locked.status != Status.PROCESSING:
            return False
        staged = _next_rows(locked)
        if not staged:
            return False
        _lock_network(locked.buyer)
        _Chunk(locked, staged).write()
        return True


def _lock_network(buyer: Company) -> None:
    """Lets one chunk at a time write into the buyer's network, so that a chunk's read of
    what is stored (created, updated or unchanged) sees every other import's committed rows.
    NO KEY UPDATE: it queues other imports of this buyer, not the web requests whose new rows
    only reference the buyer. SQLite's IMMEDIATE transactions serialize writers already."""
    Company.objects.select_for_update(no_key=True).filter(pk=buyer.pk).values_list("pk").get()


def _next_rows(supplier_import: SupplierImport) -> list[tuple[Any, SupplierRow]]:
    """(row id, row) of the next chunk, read back as stored: the file is not read again."""
    records = sql.select(
        ImportRow,
        "SELECT {} FROM {} WHERE {} = %s AND {} > %s AND {} <> %s ORDER BY {} LIMIT %s".format(
            ", ".join(sql.column(ImportRow, name) for name in _STAGED),
            sql.table(ImportRow),
            sql.column(ImportRow, "supplier_import"),
            sql.column(ImportRow, "line"),
            sql.column(ImportRow, "action"),
            sql.column(ImportRow, "line"),
        ),
        [
            sql.prep(ImportRow, "supplier_import", supplier_import.pk),
            supplier_import.last_line,
            Action.ERROR,
            settings.IMPORT_CHUNK_ROWS,
        ],
    )
    rows = []
    for row_id, line, country, tax_id, name, *texts, emails, groups, notify in records:
        rows.append(
            (
                row_id,
                SupplierRow(
                    line,
                    country,
                    tax_id,
                    name,
                    emails.split(";"),
                    bool(notify),
                    groups.split(";") if groups else [],
                    *texts,
                ),
            )
        )
    return rows


@dataclass
class _Written:
    outcome: str
    supplier_id: Any = None  # as the database returned it
    company_id: Any = None


class _Chunk:
    def __init__(self, supplier_import: SupplierImport, staged: list[tuple[Any, SupplierRow]]):
        self.supplier_import = supplier_import
        self.buyer: Company = supplier_import.buyer
        self.staged = staged
        self.now = timezone.now()

    def write(self) -> None:
        rows = [row for _id, row in self.staged]
        stored = stored_suppliers(buyer=self.buyer, rows=rows)
        written = {row.line: self._classify(row, stored.get(row.key)) for row in rows}
        new = [row for row in rows if written[row.line].outcome == Outcome.CREATED]
        companies = self._insert_companies(new)
        for row in new:
            written[row.line].company_id = companies[row.key]
        changed = [row for row in rows if written[row.line].outcome != Outcome.UNCHANGED]
        self._upsert_suppliers(changed, written)
        by_company = {written[row.line].company_id: written[row.line] for row in new}
        for company_id, supplier_id in self._supplier_ids(list(by_company)):
            by_company[company_id].supplier_id = supplier_id
        self._add_groups([row for row in changed if row.groups], written)
        notified = self._invite([row for row in rows if row.notify], written)
        self._record(written, notified)

    def _classify(self, row: SupplierRow, stored: StoredSupplier | None) -> _Written:
        if stored is None:
            return _Written(Outcome.CREATED)
        outcome = Outcome.UPDATED if changes(row, stored) else Outcome.UNCHANGED
        return _Written(outcome, stored.id, stored.company_id)

    def _insert_companies(self, rows: list[SupplierRow]) -> dict[tuple[str, str], Any]:
        """The supplier companies' ids, each inserted unless it exists (in another network)."""
        if not rows:
            return {}
        created_at = sql.prep(Company, "created_at", self.now)
        prep_id = sql.prepares(Company, "id")
        insert_rows(
            Company,
            ("id", "country", "tax_id", "legal_name", "registered_at", "created_at"),
            [(prep_id(uuid.uuid4()), *row.key, row.name, None, created_at) for row in rows],
            suffix="ON CONFLICT ({}, {}) DO NOTHING".format(
                sql.column(Company, "country"), sql.column(Company, "tax_id")
            ),
        )
        by_country: dict[str, list[str]] = defaultdict(list)
        for country, tax_id in {row.key for row in rows}:
            by_country[country].append(tax_id)
        found = {}
        for country, tax_ids in by_country.items():
            records = sql.select(
                Company,
                "SELECT {}, {} FROM {} WHERE {} = %s AND {} IN ({})".format(
                    sql.column(Company, "id"),
                    sql.column(Company, "tax_id"),
                    sql.table(Company),
                    sql.column(Company, "country"),
                    sql.column(Company, "tax_id"),
                    sql.placeholders(len(tax_ids)),
                ),
                [country, *tax_ids],
            )
            for company_id, tax_id in records:
                found[(country, tax_id)] = company_id
        return found

    def _upsert_suppliers(self, rows: list[SupplierRow], written: dict[int, _Written]) -> None:
        if not rows:
            return
        buyer_id = sql.prep(Supplier, "buyer", self.buyer.pk)
        now = sql.prep(Supplier, "updated_at", self.now)
        prep_id, prep_emails = sql.prepares(Supplier, "id"), sql.prepares(Supplier, "other_emails")
        no_more_emails = prep_emails([])
        values = []
        for row in rows:
            done = written[row.line]
            supplier_id = done.supplier_id or prep_id(uuid.uuid4())
            more = row.emails[1:]
            values.append(
                (
                    supplier_id,
                    buyer_id,
                    done.company_id,
                    *row.identity_and_texts(),
                    row.emails[0],
                    prep_emails(more) if more else no_more_emails,
                    Source.IMPORT,
                    fold(row.name)[:200],
                    fold(row.city)[:100],
                    now,
                    now,
                )
            )
        insert_rows(Supplier, _SUPPLIER_COLUMNS, values, suffix=_upsert_clause())

    def _supplier_ids(self, company_ids: list[Any]) -> list[tuple[Any, Any]]:
        """(company id, supplier id) of the new rows: read back, because a supplier added
        meanwhile by someone else keeps its own id."""
        if not company_ids:
            return []
        return sql.select(
            Supplier,
            "SELECT {}, {} FROM {} WHERE {} = %s AND {} IN ({})".format(
                sql.column(Supplier, "company"),
                sql.column(Supplier, "id"),
                sql.table(Supplier),
                sql.column(Supplier, "buyer"),
                sql.column(Supplier, "company"),
                sql.placeholders(len(company_ids)),
            ),
            [sql.prep(Supplier, "buyer", self.buyer.pk), *company_ids],
        )

    def _add_groups(self, rows: list[SupplierRow], written: dict[int, _Written]) -> None:
        if not rows:
            return
        groups = {
            group.name.casefold(): group.pk
            for group in resolve_groups(self.buyer, {name for row in rows for name in row.groups})
        }
        links = {
            (written[row.line].supplier_id, groups[name.casefold()])
            for row in rows
            for name in row.groups
        }
        insert_rows(
            Supplier.groups.through,
            ("supplier", "suppliergroup"),
            list(links),
            suffix="ON CONFLICT DO NOTHING",
        )

    def _invite(self, rows: list[SupplierRow], written: dict[int, _Written]) -> dict[int, str]:
        """Notify = 1: line -> NotifyOutcome."""
        if not rows:
            return {}
        to_uuid = Supplier._meta.pk.to_python
        lines = {}
        suppliers = []
        for row in rows:
            done = written[row.line]
            supplier = Invitee(
                id=to_uuid(done.supplier_id),
                buyer_id=self.buyer.pk,
                company_id=to_uuid(done.company_id),
                country=row.country,
                name=row.name,
                email=row.emails[0],
            )
            lines[supplier.id] = row.line
            suppliers.append(supplier)
        report = invite_suppliers(
            buyer=self.buyer,
            suppliers=suppliers,
            by=self.supplier_import.processed_by,
            channel=AuditChannel.IMPORT,
        )
        notified = {
            lines[invitation.supplier_id]: NotifyOutcome.INVITED for invitation in report.invited
        }
        for reason, supplier_ids in report.skipped.items():
            for supplier_id in supplier_ids:
                notified[lines[supplier_id]] = SKIPPED[reason]
        return notified

    def _record(self, written: dict[int, _Written], notified: dict[int, str]) -> None:
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for row_id, row in self.staged:
            groups[(written[row.line].outcome, notified.get(row.line, ""))].append(row_id)
        for (outcome, notify_outcome), row_ids in groups.items():
            ImportRow.objects.filter(id__in=row_ids).update(
                outcome=outcome, notify_outcome=notify_outcome
            )
        outcomes = Counter(done.outcome for done in written.values())
        notify_counts = Counter(notified.values())
        supplier_import = self.supplier_import
        supplier_import.created += outcomes[Outcome.CREATED]
        supplier_import.updated += outcomes[Outcome.UPDATED]
        supplier_import.unchanged += outcomes[Outcome.UNCHANGED]
        supplier_import.invited += notify_counts.pop(NotifyOutcome.INVITED, 0)
        skipped = supplier_import.skipped
        for reason, count in notify_counts.items():
            skipped[reason] = skipped.get(reason, 0) + count
        supplier_import.rows_done += len(self.staged)
        supplier_import.last_line = self.staged[-1][1].line
        supplier_import.save(
            update_fields=[
                "created",
                "updated",
                "unchanged",
                "invited",
                "skipped",
                "rows_done",
                "last_line",
                "updated_at",
            ]
        )


def _upsert_clause() -> str:
    """ON CONFLICT … DO UPDATE: the row's values, except that an empty optional cell keeps
    the stored one. Source and created_at stay as they were."""
    target = sql.table(Supplier)
    col = lambda name: sql.column(Supplier, name)  # noqa: E731
    kept = [
        f"{col(name)} = CASE WHEN excluded.{col(name)} = '' THEN {target}.{col(name)} "
        f"ELSE excluded.{col(name)} END"
        for name in TEXT_FIELDS
    ]
    kept.append(
        f"{col('city_folded')} = CASE WHEN excluded.{col('city')} = '' "
        f"THEN {target}.{col('city_folded')} ELSE excluded.{col('city_folded')} END"
    )
    replaced = [
        f"{col(name)} = excluded.{col(name)}"
        for name in ("name", "name_folded", "email", "other_emails", "updated_at")
    ]
    return "ON CONFLICT ({}, {}) DO UPDATE SET {}".format(
        col("buyer"), col("company"), ", ".join(replaced + kept)
    )


def _finish(supplier_import: SupplierImport) -> None:
    with transaction.atomic():
        locked = SupplierImport.objects.select_for_update().get(pk=supplier_import.pk)
        if locked.status != Status.PROCESSING:
            return  # another worker finished it
        locked.status = Status.DONE
        locked.failed = locked.rows_with_errors
        locked.finished_at = timezone.now()
        locked.save()
        record(
            company=locked.buyer,
            actor=locked.processed_by,
            action="suppliers.imported",
            target=locked,
            summary=summary(locked),
            channel=AuditChannel.IMPORT,
        )
        import_finished.send(sender=SupplierImport, supplier_import_id=locked.pk)


def summary(supplier_import: SupplierImport) -> str:
    """ "suppliers.csv (sha256 3f2a…): 950 created, 40 updated, …" for the audit log."""
    counts = {
        "created": supplier_import.created,
        "updated": supplier_import.updated,
        "unchanged": supplier_import.unchanged,
        "invited": supplier_import.invited,
        "skipped": supplier_import.skipped_count,
        "failed": supplier_import.failed,
    }
    return "{} (sha256 {}…): {}".format(
        supplier_import.file_name,
        supplier_import.sha256[:12],
        ", ".join(f"{count} {name}" for name, count in counts.items()),
    )
