"""/invitations: inviting one supplier or many (Invite Selected), the list, resend and revoke.

An invitation shows its lifecycle and timestamps; its activation code never leaves the
e-mail (not even its last characters)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Query, Router, Schema, Status
from pydantic import model_validator

from suppliernet.api.fields import Input, NestedInput, text
from suppliernet.api.pagination import PageParams, by_datetime, paginate
from suppliernet.api.problems import ApiProblem, invalid_form
from suppliernet.api.suppliers import SupplierFilter, filtered_suppliers
from suppliernet.audit.models import Channel
from suppliernet.companies.tenancy import get_owned_or_404
from suppliernet.invitations.forms import InvitationFilterForm
from suppliernet.invitations.limits import invitation_changes
from suppliernet.invitations.models import Invitation
from suppliernet.invitations.models import Status as InvitationState
from suppliernet.invitations.sending import (
    AlreadyRegistered,
    InvalidAddresses,
    InvitationError,
    InviteReport,
    Skip,
    TooManyChanges,
    invite_supplier,
    invite_suppliers,
    resend_invitation,
    revoke_invitation,
)
from suppliernet.network.models import Supplier

router = Router(tags=["Invitations"])

InvitationStatus = Literal[tuple(InvitationState.values)]  # type: ignore[valid-type]
Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]  # type: ignore[valid-type]
NEWEST_FIRST = by_datetime("newest", "created_at", descending=True)
MAX_SUPPLIER_IDS = 1000


class InvitationOut(Schema):
    id: uuid.UUID
    supplier_id: uuid.UUID
    email: str
    language: str
    status: InvitationStatus = Field(
        description="queued → sent → accepted, or failed, expired, revoked"
    )
    channel: str
    created_at: datetime
    expires_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    failure_reason: str
    accepted_at: datetime | None
    revoked_at: datetime | None
    resent_count: int

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationOut:
        return cls(
            **{
                name: getattr(invitation, name)
                for name in (
                    "id",
                    "supplier_id",
                    "email",
                    "language",
                    "channel",
                    "created_at",
                    "expires_at",
                    "sent_at",
                    "failed_at",
                    "failure_reason",
                    "accepted_at",
                    "revoked_at",
                    "resent_count",
                )
            },
            status=invitation.current_status,
        )


class InvitationList(Schema):
    items: list[InvitationOut]


class InvitationPage(Schema):
    items: list[InvitationOut]
    next_cursor: str | None


class InviteIn(Input):
    emails: list[text(254)] = Field(
        default_factory=list,
        max_length=20,
        description="Each gets its own invitation. Default: the supplier's primary e-mail.",
    )
    language: Language | None = Field(None, description="Default: by the supplier's country.")


class SupplierFilterIn(SupplierFilter, NestedInput):
    pass


class BulkInviteIn(Input):
    """Invite Selected: the suppliers by ID, or every supplier the list's filter matches.
    Each is invited at its primary e-mail; registered ones, ones without an e-mail and ones
    already invited there are skipped and reported."""

    supplier_ids: list[uuid.UUID] | None = Field(None, min_length=1, max_length=MAX_SUPPLIER_IDS)
    filter: SupplierFilterIn | None = None

    @model_validator(mode="after")
    def _one_of(self) -> BulkInviteIn:
        if (self.supplier_ids is None) == (self.filter is None):
            raise ValueError("send either supplier_ids or filter")
        return self


class Skipped(Schema):
    registered: list[uuid.UUID] = Field(description="Already registered.")
    invited: list[uuid.UUID] = Field(description="Already invited at that address.")
    no_email: list[uuid.UUID] = Field(description="Without an e-mail address.")


class BulkInviteOut(Schema):
    status: Literal["done", "queued"] = Field(
        description="queued: too many for one request; the task worker invites them."
    )
    matched: int
    invited: int
    invitation_ids: list[uuid.UUID]
    skipped: Skipped
    summary: str

    @classmethod
    def of(cls, report: InviteReport, matched: int) -> BulkInviteOut:
        return cls(
            status="done",
            matched=matched,
            invited=report.invited_count,
            invitation_ids=[invitation.id for invitation in report.invited],
            skipped=Skipped(**{reason.value: report.skipped.get(reason, []) for reason in Skip}),
            summary=report.summary(),
        )


class InvitationFilter(Schema):
    status: InvitationStatus | None = None
    supplier_id: uuid.UUID | None = None
    since: date | None = Field(None, description="Invited on or after this day.")
    until: date | None = Field(None, description="Invited on or before this day.")


def _retry_after_change() -> dict[str, str]:
    limit = invitation_changes()
    return {"Retry-After": str(int(limit.period.total_seconds() // max(limit.capacity, 1)))}


def _refused(error: InvitationError) -> ApiProblem:
    detail = " ".join(error.messages)
    if isinstance(error, TooManyChanges):
        return ApiProblem(429, "too-many-changes", detail, headers=_retry_after_change())
    if isinstance(error, AlreadyRegistered):
        return ApiProblem(409, "already-registered", detail)
    return ApiProblem(409, "invitation-not-open", detail)


@router.post(
    "/suppliers/{uuid:supplier_id}/invitations",
    response={201: InvitationList},
    summary="Invite a supplier",
)
def invite(
    request: HttpRequest, supplier_id: uuid.UUID, payload: InviteIn
) -> Status[InvitationList]:
    token = request.auth  # type: ignore[attr-defined]
    supplier = get_owned_or_404(Supplier, token.company, supplier_id)
    try:
        invitations = invite_supplier(
            buyer=token.company,
            supplier=supplier,
            emails=payload.emails or supplier.all_emails[:1],
            by=token.created_by,
            channel=Channel.API,
            language=payload.language,
        )
    except InvalidAddresses as error:
        raise ApiProblem(
            422,
            "invalid-addresses",
            " ".join(error.messages),
            errors=[("emails", message) for message in error.messages],
        ) from None
    except InvitationError as error:
        raise _refused(error) from None
    return Status(201, InvitationList(items=[InvitationOut.of(i) for i in invitations]))


@router.post(
    "/invitations",
    response={200: BulkInviteOut, 202: BulkInviteOut},
    summary="Invite suppliers in bulk (Invite Selected)",
)
def invite_many(request: HttpRequest, payload: BulkInviteIn) -> Status[BulkInviteOut]:
    token = request.auth  # type: ignore[attr-defined]
    if payload.supplier_ids is not None:
        suppliers = Supplier.objects.for_company(token.company).filter(id__in=payload.supplier_ids)
        unknown = set(payload.supplier_ids) - set(suppliers.values_list("id", flat=True))
        if unknown:
            raise ApiProblem(
                422,
                "unknown-suppliers",
                ngettext(
                    "%(count)s of the supplier IDs is not a supplier of your company.",
                    "%(count)s of the supplier IDs are not suppliers of your company.",
                    len(unknown),
                )
                % {"count": len(unknown)},
                errors=[
                    (f"supplier_ids.{index}", _("No such supplier."))
                    for index, supplier_id in enumerate(payload.supplier_ids)
                    if supplier_id in unknown
                ],
            )
    else:
        suppliers = filtered_suppliers(token.company, payload.filter)
    matched = suppliers.count()
    if matched > settings.INVITE_IN_BACKGROUND_ABOVE:
        from suppliernet.api.tasks import invite_matching

        arguments = {
            "buyer_id": str(token.company_id),
            "token_id": str(token.id),
            "filters": payload.filter.model_dump(mode="json") if payload.filter else {},
        }
        transaction.on_commit(lambda: invite_matching.enqueue(**arguments))
        summary = _("%(count)s suppliers are being invited in the background.") % {"count": matched}
        return Status(
            202,
            BulkInviteOut(
                status="queued",
                matched=matched,
                invited=0,
                invitation_ids=[],
                skipped=Skipped(registered=[], invited=[], no_email=[]),
                summary=summary,
            ),
        )
    report = invite_suppliers(
        buyer=token.company, suppliers=suppliers, by=token.created_by, channel=Channel.API
    )
    return Status(200, BulkInviteOut.of(report, matched))


@router.get("/invitations", response=InvitationPage, summary="List invitations, newest first")
def list_invitations(
    request: HttpRequest, filters: Query[InvitationFilter], page: Query[PageParams]
) -> InvitationPage:
    company = request.auth.company  # type: ignore[attr-defined]
    form = InvitationFilterForm(
        {name: getattr(filters, name) or "" for name in ("status", "since", "until")},
        buyer=company,
    )
    if not form.is_valid():
        raise invalid_form(form)
    invitations = form.filter(Invitation.objects.for_company(company))
    if filters.supplier_id:
        invitations = invitations.filter(supplier_id=filters.supplier_id)
    rows, next_cursor = paginate(invitations, NEWEST_FIRST, page)
    return InvitationPage(items=[InvitationOut.of(i) for i in rows], next_cursor=next_cursor)


@router.get(
    "/invitations/{uuid:invitation_id}", response=InvitationOut, summary="Get an invitation"
)
def get_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> InvitationOut:
    company = request.auth.company  # type: ignore[attr-defined]
    return InvitationOut.of(get_owned_or_404(Invitation, company, invitation_id))


def _change(request: HttpRequest, invitation_id: uuid.UUID, change) -> Status[InvitationOut]:
    """Resend or revoke one invitation of the token's company."""
    token = request.auth  # type: ignore[attr-defined]
    invitation = get_owned_or_404(Invitation, token.company, invitation_id)
    try:
        invitation = change(invitation=invitation, by=token.created_by, channel=Channel.API)
    except InvitationError as error:
        raise _refused(error) from None
    return Status(200, InvitationOut.of(invitation))


@router.post(
    "/invitations/{uuid:invitation_id}/resend",
    response={200: InvitationOut},
    summary="Send a new code to the same address",
)
def resend(request: HttpRequest, invitation_id: uuid.UUID) -> Status[InvitationOut]:
    """The earlier code stops working at once."""
    return _change(request, invitation_id, resend_invitation)


@router.post(
    "/invitations/{uuid:invitation_id}/revoke",
    response={200: InvitationOut},
    summary="End an open invitation",
)
def revoke(request: HttpRequest, invitation_id: uuid.UUID) -> Status[InvitationOut]:
    """Its code stops working at once."""
    return _change(request, invitation_id, revoke_invitation)
