"""What the import page lists: the preview's and the result's rows, and the error file."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from suppliernet.imports.models import (
    Action,
    ImportRow,
    NotifyOutcome,
    Outcome,
    Status,
    SupplierImport,
)
from suppliernet.imports.neutralize import neutralize_formula

ERROR_FILE_CHUNK = 2_000


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    lookup: dict[str, str]  # the ImportRow filter
    count: Callable[[SupplierImport], int]


PREVIEW_TABS = (
    Tab("create", Action.CREATE.label, {"action": Action.CREATE}, lambda i: i.rows_to_create),
    Tab("update", Action.UPDATE.label, {"action": Action.UPDATE}, lambda i: i.rows_to_update),
    Tab(
        "unchanged",
        Action.UNCHANGED.label,
        {"action": Action.UNCHANGED},
        lambda i: i.rows_unchanged,
    ),
    Tab("errors", Action.ERROR.label, {"action": Action.ERROR}, lambda i: i.rows_with_errors),
)
RESULT_TABS = (
    Tab("created", Outcome.CREATED.label, {"outcome": Outcome.CREATED}, lambda i: i.created),
    Tab("updated", Outcome.UPDATED.label, {"outcome": Outcome.UPDATED}, lambda i: i.updated),
    Tab("kept", Outcome.UNCHANGED.label, {"outcome": Outcome.UNCHANGED}, lambda i: i.unchanged),
    Tab(
        "invited",
        NotifyOutcome.INVITED.label,
        {"notify_outcome": NotifyOutcome.INVITED},
        lambda i: i.invited,
    ),
    *(
        Tab(
            reason.value,
            format_lazy(_("Not invited: {reason}"), reason=reason.label),
            {"notify_outcome": reason.value},
            lambda i, reason=reason.value: i.skipped.get(reason, 0),
        )
        for reason in NotifyOutcome
        if reason != NotifyOutcome.INVITED
    ),
    Tab("failed", Outcome.FAILED.label, {"action": Action.ERROR}, lambda i: i.failed),
)


def tabs(supplier_import: SupplierImport) -> tuple[Tab, ...]:
    """The result's tabs once processing started, else the preview's."""
    if supplier_import.status in (Status.PROCESSING, Status.DONE, Status.FAILED):
        return RESULT_TABS
    if supplier_import.status == Status.VALIDATED:
        return PREVIEW_TABS
    return ()


def rows(supplier_import: SupplierImport, tab: Tab) -> QuerySet[ImportRow]:
    return ImportRow.objects.filter(supplier_import=supplier_import, **tab.lookup).order_by("line")


def error_file_name(supplier_import: SupplierImport) -> str:
    return f"{Path(supplier_import.file_name).stem}-{gettext('errors')}.csv"


def error_file(supplier_import: SupplierImport) -> Iterator[bytes]:
    """The rows with errors as read, plus an Error column: fix them and upload this file.

    UTF-8 with BOM so that Excel shows accents; every cell neutralized against formula
    injection (the reader removes the added apostrophe again on upload). Streamed from the
    database in chunks: memory does not grow with the number of errors.
    """
    buffer = _Buffer()
    writer = csv.writer(buffer, lineterminator="\r\n")
    width = len(supplier_import.header)
    writer.writerow([*map(neutralize_formula, supplier_import.header), gettext("Error")])
    yield codecs.BOM_UTF8 + buffer.take()
    errors = (
        ImportRow.objects.filter(supplier_import=supplier_import, action=Action.ERROR)
        .order_by("line")
        .values_list("cells", "errors")
    )
    for cells, problems in errors.iterator(chunk_size=ERROR_FILE_CHUNK):
        padded = [*cells, *[""] * (width - len(cells))]
        message = "; ".join(f"{problem['label']}: {problem['message']}" for problem in problems)
        writer.writerow([neutralize_formula(cell) for cell in [*padded, message]])
        if buffer.size > 64 * 1024:
            yield buffer.take()
    yield buffer.take()


class _Buffer:
    """A file-like sink for csv.writer whose content is taken out as UTF-8 bytes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> Any:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> bytes:
        data = "".join(self.parts).encode("utf-8")
        self.parts, self.size = [], 0
        return data
