"""Receiving a supplier file: stored under MEDIA_ROOT/imports/, its header checked at once
(cheap), its rows checked later by the validation task."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from suppliernet.companies.models import Company, User
from suppliernet.imports.models import Channel, Status, SupplierImport
from suppliernet.imports.reading import FileRejected, open_table


def start_import(
    *,
    buyer: Company,
    file: File,
    file_name: str,
    by: User | None,
    channel: str = Channel.PAGE,
    enqueue: bool = True,
) -> SupplierImport:
    """Stores the file and checks its header; a file that cannot be imported is recorded as
    rejected with the reason. Otherwise the validation task is enqueued (`enqueue=False`:
    the caller runs it, as the command line does).

    Raises FileRejected, without storing anything, for an empty or too large file.
    """
    check_size(file.size or 0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    supplier_import = SupplierImport(
        buyer=buyer,
        uploaded_by=by,
        channel=channel,
        file_name=Path(file_name).name[:255],
        sha256=digest.hexdigest(),
        size=file.size,
    )
    supplier_import.file.save(supplier_import.file_name, file, save=False)
    try:
        with (
            local_path(supplier_import) as path,
            open_table(path, supplier_import.file_name, max_rows=settings.IMPORT_MAX_ROWS),
        ):
            pass
    except FileRejected as rejection:
        supplier_import.status = Status.REJECTED
        supplier_import.message = rejection.message
    with transaction.atomic():
        supplier_import.save()
        if enqueue and supplier_import.status == Status.UPLOADED:
            from suppliernet.imports.tasks import validate_import

            transaction.on_commit(lambda: validate_import.enqueue(str(supplier_import.id)))
    return supplier_import


def check_size(size: int) -> None:
    if size == 0:
        raise FileRejected(gettext("The file is empty. Choose the filled-in supplier template."))
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRejected(
            gettext(
                "The file has %(size)s; at most %(max)s are accepted. Split it into smaller "
                "files and upload them one at a time."
            )
            % {"size": filesizeformat(size), "max": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )


@contextlib.contextmanager
def local_path(supplier_import: SupplierImport) -> Iterator[Path]:
    """The stored file as a local path; a copy when the storage is remote (object storage)."""
    try:
        path = supplier_import.file.path
    except NotImplementedError:
        path = None
    if path is not None:
        yield Path(path)
        return
    suffix = Path(supplier_import.file_name).suffix
    with (
        tempfile.NamedTemporaryFile(suffix=suffix) as copy,
        supplier_import.file.open("rb") as stored,
    ):
        shutil.copyfileobj(stored, copy)
        copy.flush()
        yield Path(copy.name)
