"""Checking an uploaded file (the validation task): every row against the rules and against
the buyer's suppliers, which gives the preview. Nothing in the network changes here.

Rows are read, checked and stored in chunks of IMPORT_CHUNK_ROWS, one transaction each:
memory and lock time do not grow with the file. Each valid row is stored with its
normalized values, so processing writes them without reading or checking the file again
(checking costs more than writing: see bench/imports.py). A repeated tax ID is found
through the rows stored so far, not a set in memory, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from suppliernet.bulk import insert_rows
from suppliernet.imports import sql
from suppliernet.imports.matching import changes, stored_suppliers
from suppliernet.imports.models import Action, ImportRow, Status, SupplierImport
from suppliernet.imports.reading import FileRejected, SourceRow, Table, open_table
from suppliernet.imports.rules import (
    IDENTITY_AND_TEXTS,
    TEXT_FIELDS,
    RowError,
    SupplierRow,
    check_row,
    shown,
)
from suppliernet.imports.signals import import_finished
from suppliernet.imports.uploads import local_path

T = TypeVar("T")

ROW_COLUMNS = (
    "supplier_import",
    "line",
    "action",
    *IDENTITY_AND_TEXTS,
    "emails",
    "groups",
    "notify",
    "changes",
    "errors",
    "cells",
    "outcome",
    "notify_outcome",
)


def validate_file(*, supplier_import: SupplierImport) -> SupplierImport:
    """Checks every row and stores the preview; a whole-file problem rejects the file.

    Starts over when run again after a crash (checking has no effect outside the import);
    a file checked already is left as it is.
    """
    if not _start(supplier_import):
        return supplier_import
    try:
        with (
            local_path(supplier_import) as path,
            open_table(path, supplier_import.file_name, max_rows=settings.IMPORT_MAX_ROWS) as table,
        ):
            supplier_import.detected = table.detected.describe()
            supplier_import.header = list(table.header.labels)
            supplier_import.unknown_columns = list(table.unknown_columns)
            supplier_import.save(update_fields=["detected", "header", "unknown_columns"])
            checker = _Checker(supplier_import, table)
            for chunk in chunked(table.rows(), settings.IMPORT_CHUNK_ROWS):
                with transaction.atomic():
                    checker.check(chunk)
    except FileRejected as rejection:
        with transaction.atomic():
            ImportRow.objects.filter(supplier_import=supplier_import).delete()
            _finish(supplier_import, Status.REJECTED, message=rejection.message)
            import_finished.send(sender=SupplierImport, supplier_import_id=supplier_import.pk)
    else:
        _finish(supplier_import, Status.VALIDATED)
    supplier_import.refresh_from_db()
    return supplier_import


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _start(supplier_import: SupplierImport) -> bool:
    with transaction.atomic():
        started = SupplierImport.objects.filter(
            pk=supplier_import.pk, status__in=(Status.UPLOADED, Status.VALIDATING)
        ).update(
            status=Status.VALIDATING,
            message="",
            rows_total=0,
            rows_to_create=0,
            rows_to_update=0,
            rows_unchanged=0,
            rows_with_errors=0,
            rows_to_notify=0,
            rows_done=0,
            updated_at=timezone.now(),
        )
        if started:
            ImportRow.objects.filter(supplier_import=supplier_import).delete()
    return bool(started)


def _finish(supplier_import: SupplierImport, status: str, *, message: str = "") -> None:
    SupplierImport.objects.filter(pk=supplier_import.pk).update(
        status=status, message=message, validated_at=timezone.now(), updated_at=timezone.now()
    )


class _Checker:
    def __init__(self, supplier_import: SupplierImport, table: Table):
        self.supplier_import = supplier_import
        self.buyer = supplier_import.buyer
        self.import_id = sql.prep(ImportRow, "supplier_import", supplier_import.pk)
        self.prep_changes, self.prep_errors, self.prep_cells = (
            sql.prepares(ImportRow, name) for name in ("changes", "errors", "cells")
        )
        # The rows stored so far with the tax IDs of a chunk, to find repeated ones.
        self.earlier_lines = (
            "SELECT {}, {}, MIN({}) FROM {} WHERE {} = %s AND {} IN ({{}}) GROUP BY {}, {}".format(
                *(sql.column(ImportRow, name) for name in ("country", "tax_id", "line")),
                sql.table(ImportRow),
                *(sql.column(ImportRow, name) for name in ("supplier_import", "tax_id")),
                *(sql.column(ImportRow, name) for name in ("country", "tax_id")),
            )
        )
        header = table.header
        self.labels = {key: header.labels[index] for key, index in header.columns.items()}

    def check(self, chunk: list[SourceRow]) -> None:
        country = self.buyer.country
        checked = [(source, *check_row(source, default_country=country)) for source in chunk]
        self._find_repeats(checked)
        valid = [row for _source, row, errors in checked if not errors]
        stored = stored_suppliers(buyer=self.buyer, rows=valid)
        counts = dict.fromkeys(Action, 0)
        notify = 0
        records = []
        for source, row, errors in checked:
            if errors:
                action, found = Action.ERROR, None
            elif (existing := stored.get(row.key)) is None:
                action, found = Action.CREATE, None
            else:
                found = changes(row, existing) or None
                action = Action.UPDATE if found else Action.UNCHANGED
            counts[action] += 1
            notify += action != Action.ERROR and row.notify
            records.append(self._record(source, row, errors, action, found))
        insert_rows(ImportRow, ROW_COLUMNS, records)
        SupplierImport.objects.filter(pk=self.supplier_import.pk).update(
            rows_total=F("rows_total") + len(chunk),
            rows_done=F("rows_done") + len(chunk),
            rows_to_create=F("rows_to_create") + counts[Action.CREATE],
            rows_to_update=F("rows_to_update") + counts[Action.UPDATE],
            rows_unchanged=F("rows_unchanged") + counts[Action.UNCHANGED],
            rows_with_errors=F("rows_with_errors") + counts[Action.ERROR],
            rows_to_notify=F("rows_to_notify") + notify,
            updated_at=timezone.now(),
        )

    def _find_repeats(self, checked: list[tuple[SourceRow, SupplierRow, list[RowError]]]) -> None:
        """A tax ID seen on an earlier line (this chunk or a stored one) is an error here."""
        keyed = [(source, row, errors) for source, row, errors in checked if row.tax_id]
        tax_ids = list({row.tax_id for _, row, _ in keyed})
        earlier: dict[tuple[str, str], int] = {}
        if tax_ids:
            stored = sql.select(
                ImportRow,
                self.earlier_lines.format(sql.placeholders(len(tax_ids))),
                [self.import_id, *tax_ids],
            )
            earlier = {(country, tax_id): line for country, tax_id, line in stored}
        for source, row, errors in keyed:
            first = earlier.setdefault(row.key, row.line)
            if first != row.line:
                errors.append(
                    RowError(
                        "tax_id",
                        shown(source.values["tax_id"]),
                        gettext(
                            "This tax ID is also on line %(line)s: each supplier may appear "
                            "only once in a file."
                        )
                        % {"line": first},
                    )
                )

    def _record(
        self,
        source: SourceRow,
        row: SupplierRow,
        errors: list[RowError],
        action: str,
        found: dict[str, list[str]] | None,
    ) -> list[Any]:
        if errors:
            problems = [
                {
                    "column": error.column,
                    "label": self.labels.get(error.column, error.column),
                    "value": error.value,
                    "message": error.message,
                }
                for error in errors
            ]
            texts = [""] * len(TEXT_FIELDS)
            return [
                self.import_id,
                row.line,
                action,
                row.country if row.tax_id else "",
                row.tax_id,
                shown(row.name)[:200],
                *texts,
                "",
                "",
                False,
                None,
                self.prep_errors(problems),
                self.prep_cells(source.raw),
                "",
                "",
            ]
        return [
            self.import_id,
            row.line,
            action,
            *row.identity_and_texts(),
            ";".join(row.emails),
            ";".join(row.groups),
            row.notify,
            self.prep_changes(found) if found else None,
            None,
            None,
            "",
            "",
        ]
