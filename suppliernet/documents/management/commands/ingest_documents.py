"""Received e-invoices from the command line: the same reading and results as the upload
page, run in this process."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from suppliernet.audit.models import Channel
from suppliernet.companies.commandline import admin_argument, company_argument
from suppliernet.documents.ingestion import FileResult, ingest_documents
from suppliernet.documents.kinds import Outcome


class Command(BaseCommand):
    help = (
        "Reads received electronic invoices and notes (XML files, zips of them, or folders "
        "holding them) into a buyer's network and prints each file's result. Exits with 1 "
        "when any file is rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help=".xml, .zip or a folder")
        parser.add_argument(
            "--company",
            required=True,
            help="the receiving buyer as COUNTRY:TAX_ID, e.g. CO:900123456",
        )
        parser.add_argument("--user", help="e-mail of the buyer's admin to record as uploader")

    def handle(self, *args, **options) -> None:
        buyer = company_argument(options["company"])
        user = admin_argument(buyer, options["user"]) if options["user"] else None
        paths = list(_files(options["paths"]))
        report = ingest_documents(
            buyer=buyer,
            files=((str(path), path.read_bytes()) for path in paths),  # one file at a time
            by=user,
            channel=Channel.SYSTEM,
        )
        for result in report.results:
            self.stdout.write(_line(result))
        self.stdout.write(report.summary())
        if rejected := report.count(Outcome.REJECTED):
            raise CommandError(f"{rejected} rejected.", returncode=1)


def _files(arguments: list[str]) -> list[Path]:
    """Every file to read, checked before any is read."""
    found = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in {".xml", ".zip"})
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{path} is not a file or folder.")
    for path in found:
        if (size := path.stat().st_size) > settings.DOCUMENTS_MAX_ZIP_BYTES:
            raise CommandError(
                f"{path} is {filesizeformat(size)}; at most "
                f"{filesizeformat(settings.DOCUMENTS_MAX_ZIP_BYTES)} per file."
            )
    return found


def _line(result: FileResult) -> str:
    details = " · ".join(part for part in (result.document, result.issuer, result.reason) if part)
    return f"{result.outcome:<9}  {result.name}" + (f"  {details}" if details else "")
