"""Inviting suppliers, resending and revoking invitations.

Each action writes its invitations and their outgoing messages in one transaction (the
outbox): the e-mail leaves later, from the worker, or not at all if the transaction rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suppliernet.audit.models import Channel
from suppliernet.audit.recording import record
from suppliernet.bulk import database, insert_rows, preparer
from suppliernet.companies.models import Company, User
from suppliernet.invitations import codes
from suppliernet.invitations.limits import invitation_changes
from suppliernet.invitations.message import language_for, mail_spec
from suppliernet.invitations.models import OPEN, Invitation, Status
from suppliernet.network.models import Supplier
from suppliernet.outbox.queueing import cancel_queued, queue_mail, queue_mail_ids

CHUNK = 1000
# Only what building an invitation reads: keeps 100,000-supplier calls small in memory.
SUPPLIER_FIELDS = ("id", "buyer_id", "company_id", "country", "name", "email")


class InvitationError(Exception):
    """An action refused; nothing was written. `messages` say why, for the user."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


class AlreadyRegistered(InvitationError):
    pass


class InvalidAddresses(InvitationError):
    pass


class NotOpen(InvitationError):
    pass


class TooManyChanges(InvitationError):
    pass


class Skip(models.TextChoices):
    """Why Invite Selected or an import's Notify=1 passed over a supplier."""

    REGISTERED = "registered", gettext_lazy("already registered")
    INVITED = "invited", gettext_lazy("already invited")
    NO_EMAIL = "no_email", gettext_lazy("without e-mail")


@dataclass(slots=True, frozen=True)
class Invitee:
    """What inviting reads of a supplier: a `Supplier` has it, and a caller that holds its
    suppliers as plain rows (an import) passes these instead of building model objects."""

    id: uuid.UUID
    buyer_id: uuid.UUID
    company_id: uuid.UUID
    country: str
    name: str
    email: str


@dataclass(slots=True, frozen=True)
class NewInvitation:
    """An invitation as `_queue` wrote it (status queued), for the report and the e-mail."""

    id: uuid.UUID
    supplier_id: uuid.UUID
    email: str
    language: str
    expires_at: datetime


@dataclass
class InviteReport:
    invited: list[NewInvitation] = field(default_factory=list)
    skipped: dict[Skip, list[uuid.UUID]] = field(default_factory=dict)  # reason -> suppliers

    @property
    def invited_count(self) -> int:
        return len(self.invited)

    @property
    def skipped_count(self) -> int:
        return sum(len(ids) for ids in self.skipped.values())

    def skip(self, reason: Skip, supplier_id: uuid.UUID) -> None:
        self.skipped.setdefault(reason, []).append(supplier_id)

    def summary(self) -> str:
        """ "37 invited · 3 skipped: 2 already registered, 1 without e-mail"."""
        count = self.invited_count
        text = ngettext("%(count)s invited", "%(count)s invited", count) % {
            "count": intcomma(count)
        }
        if not self.skipped_count:
            return text
        reasons = ", ".join(
            _reason_text(reason, len(self.skipped[reason]))
            for reason in Skip
            if self.skipped.get(reason)
        )
        skipped = ngettext(
            "%(count)s skipped: %(reasons)s", "%(count)s skipped: %(reasons)s", self.skipped_count
        ) % {"count": intcomma(self.skipped_count), "reasons": reasons}
        return f"{text} · {skipped}"


def _reason_text(reason: Skip, count: int) -> str:
    if reason == Skip.REGISTERED:
        text = ngettext("%(count)s already registered", "%(count)s already registered", count)
    elif reason == Skip.INVITED:
        text = ngettext("%(count)s already invited", "%(count)s already invited", count)
    else:
        text = ngettext("%(count)s without e-mail", "%(count)s without e-mail", count)
    return text % {"count": intcomma(count)}


def _valid_until(start: datetime) -> datetime:
    return start + timedelta(days=settings.INVITATION_VALID_DAYS)


def _record_expiry(invitations: QuerySet[Invitation]) -> None:
    """Writes down the expiry of overdue open invitations, which frees their address for a
    new one under the one-open-invitation constraint."""
    invitations.overdue().update(status=Status.EXPIRED)


# What `_queue` writes; every other column of an invitation gets its default.
_COLUMNS = (
    "id",
    "buyer",
    "supplier",
    "email",
    "language",
    "code_hash",
    "code_hint",
    "created_at",
    "expires_at",
    "channel",
    "created_by",
    "mail",
)


def _queue(
    *,
    buyer: Company,
    rows: list[tuple[Supplier | Invitee, str]],
    by: User | None,
    channel: str,
    language: str | None = None,
) -> list[NewInvitation]:
    """New invitations to (supplier, address) pairs and their messages, in bulk: rows of
    values, no model objects (an import's Notify=1 writes tens of thousands)."""
    if not rows:
        return []
    now = timezone.now()
    expires_at = _valid_until(now)
    invitations, specs, secrets = [], [], []
    for supplier, address in rows:
        code, digest, hint = codes.issue()
        invitation = NewInvitation(
            uuid.uuid4(),
            supplier.id,
            address,
            language or language_for(supplier.country),
            expires_at,
        )
        invitations.append(invitation)
        secrets.append((digest, hint))
        specs.append(
            mail_spec(
                invitation=invitation, code=code, buyer=buyer, supplier=supplier, replaces=False
            )
        )
    mail_ids = queue_mail_ids(specs)
    db = database(Invitation)
    prep = {name: preparer(Invitation._meta.get_field(name), db) for name in _COLUMNS}
    prep_id, prep_supplier, prep_mail = prep["id"], prep["supplier"], prep["mail"]
    buyer_id = prep["buyer"](buyer.id)
    created_at, expires = prep["created_at"](now), prep["expires_at"](expires_at)
    created_by = prep["created_by"](by.pk if by is not None else None)
    insert_rows(
        Invitation,
        _COLUMNS,
        [
            (
                prep_id(invitation.id),
                buyer_id,
                prep_supplier(invitation.supplier_id),
                invitation.email,
                invitation.language,
                digest,
                hint,
                created_at,
                expires,
                channel,
                created_by,
                prep_mail(mail_id),
            )
            for invitation, (digest, hint), mail_id in zip(
                invitations, secrets, mail_ids, strict=True
            )
        ],
    )
    return invitations


def _already_open(invitations: QuerySet[Invitation]) -> set[tuple[uuid.UUID, str]]:
    # Lower-cased here, not in SQL: SQLite's lower() folds ASCII only.
    return {
        (supplier_id, email.lower())
        for supplier_id, email in invitations.filter(status__in=OPEN).values_list(
            "supplier_id", "email"
        )
    }


def invite_supplier(
    *,
    buyer: Company,
    supplier: Supplier,
    emails: list[str],
    by: User | None,
    channel: str = Channel.PAGE,
    language: str | None = None,
) -> list[Invitation]:
    """One invitation per address to an unregistered supplier; all of them or none.

    `language` overrides the one of the supplier's country. Raises AlreadyRegistered, or
    InvalidAddresses with a message per empty, invalid, repeated or already invited address.
    """
    if supplier.buyer_id != buyer.id:
        raise ValueError("the supplier belongs to another buyer")
    if supplier.is_registered:
        raise AlreadyRegistered(_("%(name)s is already registered.") % {"name": supplier.name})
    addresses = [address.strip() for address in emails]
    problems = [] if addresses else [_("Enter at least one e-mail address.")]
    seen: set[str] = set()
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            problems.append(
                _("“%(address)s” is not a valid e-mail address.") % {"address": address}
            )
            continue
        if address.lower() in seen:
            problems.append(_("“%(address)s” is listed twice.") % {"address": address})
        seen.add(address.lower())
    with transaction.atomic():
        _record_expiry(supplier.invitations.all())
        problems += _already_invited(supplier, addresses)
        if problems:
            raise InvalidAddresses(*problems)
        try:
            with transaction.atomic():
                queued = _queue(
                    buyer=buyer,
                    rows=[(supplier, address) for address in addresses],
                    by=by,
                    channel=channel,
                    language=language,
                )
        except IntegrityError:  # someone invited one of these addresses in the meantime
            raise InvalidAddresses(*_already_invited(supplier, addresses)) from None
        stored = Invitation.objects.in_bulk([invitation.id for invitation in queued])
        invitations = [stored[invitation.id] for invitation in queued]
        for invitation in invitations:
            record(
                company=buyer,
                actor=by,
                action="invitation.created",
                target=invitation,
                summary=f"{supplier.tax_id_display} {supplier.name} <{invitation.email}>",
                channel=channel,
            )
    return invitations


def _already_invited(supplier: Supplier, addresses: list[str]) -> list[str]:
    """A message for each of `addresses` that has an open invitation of `supplier`."""
    already = {address for _id, address in _already_open(supplier.invitations.all())}
    return [
        _("“%(address)s” already has an open invitation; resend it instead.") % {"address": address}
        for address in addresses
        if address.lower() in already
    ]


def _suppliers_of(
    buyer: Company, suppliers: Iterable[Supplier | Invitee] | QuerySet
) -> Iterator[Supplier | Invitee]:
    """Each supplier once, and only the buyer's: a queryset is narrowed to the buyer."""
    if isinstance(suppliers, QuerySet):
        suppliers = (
            suppliers.filter(buyer=buyer)
            .select_related(None)
            .prefetch_related(None)
            .only(*SUPPLIER_FIELDS)
            .iterator(chunk_size=CHUNK)
        )
    seen: set[uuid.UUID] = set()
    for supplier in suppliers:
        if supplier.buyer_id != buyer.id:
            raise ValueError("the supplier belongs to another buyer")
        if supplier.id not in seen:
            seen.add(supplier.id)
            yield supplier


def invite_suppliers(
    *,
    buyer: Company,
    suppliers: Iterable[Supplier | Invitee] | QuerySet,
    by: User | None,
    channel: str = Channel.PAGE,
) -> InviteReport:
    """Invites each supplier at its primary e-mail: Invite Selected and an import's Notify=1.

    Registered suppliers, suppliers without an e-mail and suppliers with an open invitation
    to that address are skipped and reported. Works in chunks with a few queries each, never
    one per supplier; a queryset is read as it goes, so memory does not grow with it.
    """
    report = InviteReport()
    stream = _suppliers_of(buyer, suppliers)
    with transaction.atomic():
        while chunk := list(islice(stream, CHUNK)):
            _invite_chunk(buyer=buyer, chunk=chunk, by=by, channel=channel, report=report)
        if report.invited or report.skipped:
            record(
                company=buyer,
                actor=by,
                action="invitation.created_in_bulk",
                summary=report.summary(),
                channel=channel,
            )
    return report


def _invite_chunk(
    *,
    buyer: Company,
    chunk: list[Supplier | Invitee],
    by: User | None,
    channel: str,
    report: InviteReport,
) -> None:
    # A concurrent invitation of the same address makes the insert fail: the chunk is
    # undone and read again, and that address is then skipped as already invited.
    for attempt in range(2):
        try:
            with transaction.atomic():
                invited, skipped = _chunk_rows(chunk)
                created = _queue(buyer=buyer, rows=invited, by=by, channel=channel)
            break
        except IntegrityError:
            if attempt:
                raise
    report.invited.extend(created)
    for reason, supplier_id in skipped:
        report.skip(reason, supplier_id)


def _chunk_rows(
    chunk: list[Supplier | Invitee],
) -> tuple[list[tuple[Supplier | Invitee, str]], list[tuple[Skip, uuid.UUID]]]:
    ids = [supplier.id for supplier in chunk]
    registered = set(
        Company.objects.filter(
            id__in={supplier.company_id for supplier in chunk}, registered_at__isnull=False
        ).values_list("id", flat=True)
    )
    invitations = Invitation.objects.filter(supplier_id__in=ids)
    _record_expiry(invitations)
    already_open = _already_open(invitations)
    invited, skipped = [], []
    for supplier in chunk:
        if supplier.company_id in registered:
            skipped.append((Skip.REGISTERED, supplier.id))
        elif not supplier.email:
            skipped.append((Skip.NO_EMAIL, supplier.id))
        elif (supplier.id, supplier.email.lower()) in already_open:
            skipped.append((Skip.INVITED, supplier.id))
        else:
            invited.append((supplier, supplier.email))
    return invited, skipped


def _locked(invitation: Invitation) -> Invitation:
    # Only the invitation's row: registration locks the company first, then invitations.
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("buyer", "supplier", "supplier__company")
        .get(pk=invitation.pk)
    )


def resend_invitation(
    *, invitation: Invitation, by: User | None, channel: str = Channel.PAGE
) -> Invitation:
    """A new code and expiry for the same address; the old code stops working at once and
    the new message says that it replaces the earlier one.

    Raises NotOpen (accepted or revoked), AlreadyRegistered, TooManyChanges, or
    InvalidAddresses when the address got another open invitation since this one ended.
    """
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.status in (Status.ACCEPTED, Status.REVOKED):
            raise NotOpen(_("An accepted or revoked invitation cannot be sent again."))
        if invitation.supplier.is_registered:
            raise AlreadyRegistered(
                _("%(name)s is already registered.") % {"name": invitation.supplier.name}
            )
        _spend_change(invitation)
        code = codes.generate()
        invitation.code_hash = codes.code_hash(code)
        invitation.code_hint = codes.hint(code)
        invitation.expires_at = _valid_until(timezone.now())
        invitation.status = Status.QUEUED
        invitation.sent_at = invitation.failed_at = None
        invitation.message_id = invitation.failure_reason = ""
        invitation.resent_count += 1
        cancel_queued([invitation.mail_id])
        invitation.mail = queue_mail(
            mail_spec(
                invitation=invitation,
                code=code,
                buyer=invitation.buyer,
                supplier=invitation.supplier,
                replaces=True,
            )
        )
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            raise InvalidAddresses(
                *_already_invited(invitation.supplier, [invitation.email])
            ) from None
        record(
            company=invitation.buyer,
            actor=by,
            action="invitation.resent",
            target=invitation,
            summary=f"{invitation.email} (…{invitation.code_hint})",
            channel=channel,
        )
    return invitation


def revoke_invitation(
    *, invitation: Invitation, by: User | None, channel: str = Channel.PAGE
) -> Invitation:
    """Ends an open invitation: its code stops working. Raises NotOpen or TooManyChanges."""
    with transaction.atomic():
        invitation = _locked(invitation)
        if not invitation.is_open:
            raise NotOpen(_("Only an open invitation can be revoked."))
        _spend_change(invitation)
        invitation.status = Status.REVOKED
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = by
        invitation.save(update_fields=["status", "revoked_at", "revoked_by"])
        cancel_queued([invitation.mail_id])
        record(
            company=invitation.buyer,
            actor=by,
            action="invitation.revoked",
            target=invitation,
            summary=invitation.email,
            channel=channel,
        )
    return invitation


def _spend_change(invitation: Invitation) -> None:
    if not invitation_changes().spend(str(invitation.supplier_id)):
        raise TooManyChanges(
            _("The invitations of %(name)s were changed too often; try again in an hour.")
            % {"name": invitation.supplier.name}
        )


def find_invitation_by_code(code: str) -> Invitation | None:
    """The invitation whose code this is, whatever its status (the caller decides what an
    expired, revoked or accepted one means), or None. A replaced code finds nothing.

    The look-up is by keyed hash; the final comparison runs in constant time.
    """
    try:
        digest = codes.code_hash(code)
    except ValueError:
        return None
    invitation = (
        Invitation.objects.select_related("buyer", "supplier", "supplier__company")
        .filter(code_hash=digest)
        .first()
    )
    if invitation is None or not codes.verify(code, invitation.code_hash):
        return None
    return invitation
