"""Bulk Add Suppliers from the command line: the same checks, preview and result as the page,
run in this process instead of the task worker."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from suppliernet.companies.commandline import admin_argument, company_argument
from suppliernet.imports.models import Action, Channel, ImportRow, Status, SupplierImport
from suppliernet.imports.processing import process_file, start_processing
from suppliernet.imports.reading import FileRejected
from suppliernet.imports.uploads import start_import
from suppliernet.imports.validation import validate_file

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Imports a supplier file (the Bulk Add Suppliers template, .xlsx or .csv) into a "
        "buyer's network. Exits with 2 when the file is rejected and with 1 when rows have "
        "errors (unless --allow-errors: then the valid rows are imported)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the supplier file")
        parser.add_argument(
            "--company", required=True, help="the buyer as COUNTRY:TAX_ID, e.g. CO:900123456"
        )
        parser.add_argument("--user", help="e-mail of the buyer's admin to record as importer")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and show the preview, change nothing"
        )
        parser.add_argument(
            "--allow-errors",
            action="store_true",
            help="import the valid rows of a file with errors",
        )

    def handle(self, *args, **options) -> None:
        buyer = company_argument(options["company"])
        user = admin_argument(buyer, options["user"]) if options["user"] else None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            with path.open("rb") as handle:
                supplier_import = start_import(
                    buyer=buyer,
                    file=File(handle, name=path.name),
                    file_name=path.name,
                    by=user,
                    channel=Channel.CLI,
                    enqueue=False,
                )
        except FileRejected as rejection:
            raise CommandError(rejection.message, returncode=2) from None
        if supplier_import.status == Status.UPLOADED:
            supplier_import = validate_file(supplier_import=supplier_import)
        self.stdout.write(f"Import {supplier_import.pk}: {supplier_import.file_name}")
        if supplier_import.status == Status.REJECTED:
            raise CommandError(f"Rejected: {supplier_import.message}", returncode=2)
        self._preview(supplier_import)
        if supplier_import.rows_with_errors and not options["allow_errors"]:
            raise CommandError(
                f"{supplier_import.rows_with_errors} row(s) have errors: nothing was imported "
                "(fix the file, or use --allow-errors to import the valid rows).",
                returncode=1,
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
            return
        if not supplier_import.rows_valid:
            raise CommandError("No valid row to import.", returncode=1)
        supplier_import = start_processing(
            supplier_import=supplier_import, by=user, valid_only=True, enqueue=False
        )
        supplier_import = process_file(supplier_import=supplier_import)
        self._result(supplier_import)

    def _preview(self, supplier_import: SupplierImport) -> None:
        i = supplier_import
        self.stdout.write(f"Detected: {i.detected}, {i.rows_total} rows")
        if i.unknown_columns:
            self.stdout.write(f"Ignored columns: {', '.join(i.unknown_columns)}")
        self.stdout.write(
            f"Preview: {i.rows_to_create} to create, {i.rows_to_update} to update, "
            f"{i.rows_unchanged} unchanged, {i.rows_with_errors} with errors; "
            f"Notify = 1 on {i.rows_to_notify} valid rows"
        )
        errors = ImportRow.objects.filter(supplier_import=i, action=Action.ERROR).order_by("line")
        for row in errors[:ERRORS_SHOWN]:
            for error in row.errors:
                self.stderr.write(
                    f"  line {row.line}, {error['label']}, “{error['value']}”: {error['message']}"
                )
        if i.rows_with_errors > ERRORS_SHOWN:
            self.stderr.write(f"  … and {i.rows_with_errors - ERRORS_SHOWN} more rows with errors")

    def _result(self, supplier_import: SupplierImport) -> None:
        i = supplier_import
        skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(i.skipped.items()))
        self.stdout.write(
            f"Result: {i.created} created, {i.updated} updated, {i.unchanged} unchanged, "
            f"{i.invited} invited, {i.skipped_count} not invited"
            + (f" ({skipped})" if skipped else "")
            + f", {i.failed} failed"
        )
