"""Taking received e-invoices into a buyer's network.

Each document's issuer becomes a supplier of the receiving company (source "received
document") or, when it already is one, gets its last document date, document count and an
e-mail suggestion updated (see `emails`). A document received twice is counted once.
Every file gets a result: accepted, duplicate, rejected (with the reason) or skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from suppliernet.audit.models import Channel
from suppliernet.audit.recording import record
from suppliernet.companies.models import Company, User
from suppliernet.documents.emails import offer_email
from suppliernet.documents.kinds import Outcome
from suppliernet.documents.models import ReceivedDocument
from suppliernet.documents.parsing import ParsedDocument, Party, Unreadable, parse_document
from suppliernet.documents.unpacking import Entry, unpack
from suppliernet.network.models import Source, Supplier

# Documents written per transaction: bounds lock time and memory whatever the zip holds.
CHUNK = 500

Key = tuple[str, str, str, str, str]
M = TypeVar("M", Company, Supplier)


@dataclass
class FileResult:
    """One file (or, in a Chilean EnvioDTE, one document of a file)."""

    name: str
    outcome: str = ""
    reason: str = ""
    document: str = ""  # "Invoice SETP990000002 of 2026-03-14"
    issuer: str = ""  # "CO 800.197.268-4 Transportes del Norte S.A.S."
    supplier_id: str = ""
    new_supplier: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def new_suppliers(self) -> int:
        return sum(1 for result in self.results if result.new_supplier)

    def summary(self) -> str:
        """For the audit log, which is not translated."""
        counts = ", ".join(f"{self.count(outcome)} {outcome}" for outcome in Outcome.values)
        return f"{counts}; new suppliers: {self.new_suppliers}"


@dataclass
class _Candidate:
    """A readable document addressed to the buyer, on its way to the database."""

    result: FileResult
    document: ParsedDocument
    sha256: str

    @property
    def issuer_key(self) -> tuple[str, str]:
        return (self.document.issuer.country, self.document.issuer.tax_id)


def ingest_documents(
    *,
    buyer: Company,
    files: Iterable[tuple[str, bytes]],
    by: User | None,
    channel: str = Channel.PAGE,
) -> IngestReport:
    """Reads every (file name, content) — an XML document or a zip of them — received by
    `buyer`, and adds what it learns to the buyer's network. One audit entry for the lot."""
    report = IngestReport()
    seen: dict[Key, str] = {}  # documents of this ingestion already taken, and from which file
    pending: list[_Candidate] = []
    for name, data in files:
        for entry in unpack(name, data):
            pending.extend(_read(buyer, entry, report))
            if len(pending) >= CHUNK:
                _write(buyer, pending, seen=seen, by=by, channel=channel)
                pending = []
    if pending:
        _write(buyer, pending, seen=seen, by=by, channel=channel)
    record(
        company=buyer,
        actor=by,
        action="documents.received",
        summary=report.summary(),
        channel=channel,
    )
    return report


def _read(buyer: Company, entry: Entry, report: IngestReport) -> list[_Candidate]:
    if entry.skipped:
        report.results.append(FileResult(entry.name, Outcome.SKIPPED, gettext("Not an XML file.")))
        return []
    if entry.problem:
        report.results.append(FileResult(entry.name, Outcome.REJECTED, entry.problem))
        return []
    try:
        documents = parse_document(entry.data)
    except Unreadable as error:
        report.results.append(FileResult(entry.name, Outcome.REJECTED, error.message))
        return []
    digest = hashlib.sha256(entry.data).hexdigest()
    candidates = []
    for position, document in enumerate(documents, start=1):
        result = FileResult(
            entry.name if len(documents) == 1 else f"{entry.name} #{position}",
            document=document.describe(),
            issuer=f"{document.issuer.tax_id_display} {document.issuer.name}".strip(),
        )
        report.results.append(result)
        if problem := _addressing_problem(buyer, document):
            result.outcome, result.reason = Outcome.REJECTED, problem
        else:
            candidates.append(_Candidate(result, document, digest))
    return candidates


def _addressing_problem(buyer: Company, document: ParsedDocument) -> str:
    ours = (buyer.country, buyer.tax_id)
    if (document.receiver.country, document.receiver.tax_id) != ours:
        return gettext("Addressed to %(receiver)s, not to %(company)s (%(tax_id)s).") % {
            "receiver": document.receiver.tax_id_display,
            "company": buyer.legal_name,
            "tax_id": f"{buyer.country} {buyer.tax_id_display}",
        }
    if (document.issuer.country, document.issuer.tax_id) == ours:
        return gettext("Issued by %(company)s itself, which is not its own supplier.") % {
            "company": buyer.legal_name
        }
    return ""


def _write(
    buyer: Company,
    candidates: list[_Candidate],
    *,
    seen: dict[Key, str],
    by: User | None,
    channel: str,
) -> None:
    with transaction.atomic():
        fresh = _new_documents(buyer, candidates, seen)
        suppliers = _suppliers_for(buyer, fresh)
        documents = [
            ReceivedDocument(
                buyer=buyer,
                supplier=suppliers[candidate.issuer_key],
                format=candidate.document.format,
                doc_type=candidate.document.doc_type,
                type_code=candidate.document.type_code,
                number=candidate.document.number,
                issue_date=candidate.document.issue_date,
                total=candidate.document.total,
                currency=candidate.document.currency,
                issuer_country=candidate.document.issuer.country,
                issuer_tax_id=candidate.document.issuer.tax_id,
                issuer_name=candidate.document.issuer.name,
                email_found=candidate.document.issuer.email,
                file_name=candidate.result.name[:255],
                sha256=candidate.sha256,
                uploaded_by=by if by is not None and by.is_authenticated else None,
                channel=channel,
            )
            for candidate in fresh
        ]
        accepted = _insert(fresh, documents)
        _update_suppliers(accepted, suppliers)


def _new_documents(
    buyer: Company, candidates: list[_Candidate], seen: dict[Key, str]
) -> list[_Candidate]:
    """The candidates not received before; the others are marked duplicates."""
    received = {
        row[:5]: row[5:]
        for row in ReceivedDocument.objects.for_company(buyer)
        .filter(
            issuer_tax_id__in={c.document.issuer.tax_id for c in candidates},
            number__in={c.document.number for c in candidates},
        )
        .values_list(
            "issuer_country",
            "issuer_tax_id",
            "doc_type",
            "type_code",
            "number",
            "received_at",
            "file_name",
        )
    }
    fresh = []
    for candidate in candidates:
        key = candidate.document.key
        candidate.result.outcome = Outcome.DUPLICATE
        if key in seen:
            candidate.result.reason = gettext("The same document as %(file)s in this upload.") % {
                "file": seen[key]
            }
        elif key in received:
            received_at, file_name = received[key]
            candidate.result.reason = gettext("Already received on %(date)s (%(file)s).") % {
                "date": timezone.localdate(received_at).isoformat(),
                "file": file_name,
            }
        else:
            seen[key] = candidate.result.name
            candidate.result.outcome = ""
            fresh.append(candidate)
    return fresh


def _suppliers_for(buyer: Company, candidates: list[_Candidate]) -> dict[tuple[str, str], Supplier]:
    """The buyer's supplier for each issuer, added (source "received document") if new.

    In bulk, a few statements per chunk: a zip may bring hundreds of new suppliers. Conflicts
    are ignored because another upload may add the same company or supplier at this moment.
    """
    issuers: dict[tuple[str, str], _Candidate] = {}
    for candidate in candidates:
        issuers.setdefault(candidate.issuer_key, candidate)
    found = _existing(Supplier.objects.for_company(buyer), issuers)
    new = {key: first for key, first in issuers.items() if key not in found}
    if not new:
        return found
    Company.objects.bulk_create(
        [
            Company(country=country, tax_id=tax_id, legal_name=_name(first.document.issuer))
            for (country, tax_id), first in new.items()
        ],
        ignore_conflicts=True,
    )
    companies = _existing(Company.objects.all(), new)
    suppliers = []
    for key, first in new.items():
        party = first.document.issuer
        supplier = Supplier(
            buyer=buyer,
            company=companies[key],
            country=party.country,
            tax_id=party.tax_id,
            name=_name(party),
            address=party.address,
            city=party.city,
            source=Source.DOCUMENT,
        )
        supplier.refresh_folded()  # what save() would do; bulk_create does not call it
        offer_email(supplier, party.email)
        suppliers.append(supplier)
        first.result.new_supplier = True
    Supplier.objects.bulk_create(suppliers, ignore_conflicts=True)
    return found | _existing(Supplier.objects.for_company(buyer), new)


def _existing(rows: QuerySet[M], keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], M]:
    """The rows (companies or suppliers) with these (country, tax ID), by that pair."""
    wanted = set(keys)
    matching = rows.filter(tax_id__in={tax_id for _country, tax_id in wanted})
    return {
        (row.country, row.tax_id): row  # type: ignore[attr-defined]
        for row in matching
        if (row.country, row.tax_id) in wanted  # type: ignore[attr-defined]
    }


def _name(party: Party) -> str:
    return party.name or party.tax_id_display


def _insert(fresh: list[_Candidate], documents: list[ReceivedDocument]) -> list[_Candidate]:
    try:
        with transaction.atomic():
            ReceivedDocument.objects.bulk_create(documents)
    except IntegrityError:
        # Another upload of some of these documents committed after we looked: one at a
        # time, so that each of those is told apart.
        accepted = []
        for candidate, document in zip(fresh, documents, strict=True):
            try:
                with transaction.atomic():
                    document.save(force_insert=True)
            except IntegrityError:
                candidate.result.outcome = Outcome.DUPLICATE
                candidate.result.reason = gettext("Already received.")
            else:
                accepted.append(candidate)
    else:
        accepted = fresh
    for candidate in accepted:
        candidate.result.outcome = Outcome.ACCEPTED
    return accepted


def _update_suppliers(
    accepted: list[_Candidate], suppliers: dict[tuple[str, str], Supplier]
) -> None:
    touched: dict[object, Supplier] = {}
    changed: dict[object, set[str]] = {}
    # Oldest first, so that the newest document's e-mail is the one left suggested.
    for candidate in sorted(accepted, key=lambda c: c.document.issue_date):
        supplier = suppliers[candidate.issuer_key]
        candidate.result.supplier_id = str(supplier.pk)
        touched[supplier.pk] = supplier
        if supplier.last_document_date is None or (
            candidate.document.issue_date >= supplier.last_document_date
        ):
            fields = offer_email(supplier, candidate.document.issuer.email)
            changed.setdefault(supplier.pk, set()).update(fields)
    for pk, fields in changed.items():
        if fields:
            Supplier.objects.filter(pk=pk).update(
                **{name: getattr(touched[pk], name) for name in fields}
            )
    # Counted from the documents themselves, so concurrent uploads cannot drift them.
    per_supplier = ReceivedDocument.objects.filter(supplier=OuterRef("pk")).order_by()
    per_supplier = per_supplier.values("supplier")
    Supplier.objects.filter(pk__in=touched).update(
        document_count=Subquery(per_supplier.annotate(n=Count("pk")).values("n")),
        last_document_date=Subquery(per_supplier.annotate(d=Max("issue_date")).values("d")),
    )
