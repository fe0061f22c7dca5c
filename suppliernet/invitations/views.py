from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suppliernet.companies.tenancy import company_view, get_owned_or_404
from suppliernet.invitations.forms import (
    InvitationFilterForm,
    InviteForm,
    InviteSelectedForm,
    OnceForm,
)
from suppliernet.invitations.idempotency import Answer, submit_once
from suppliernet.invitations.models import Invitation
from suppliernet.invitations.sending import (
    InvitationError,
    invite_supplier,
    invite_suppliers,
    resend_invitation,
    revoke_invitation,
)
from suppliernet.invitations.tasks import invite_matching_suppliers
from suppliernet.network.models import Supplier


def _next(request: HttpRequest, default: str) -> str:
    """Where the form was opened from (the list with its filters), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _tell(request: HttpRequest, answer: Answer) -> None:
    for level, text in answer:
        messages.add_message(request, level, text)


@company_view(admin=True)
def supplier_invite(request: HttpRequest, supplier_id: str) -> HttpResponse:
    supplier = get_owned_or_404(Supplier, request.company, supplier_id)
    form = InviteForm(request.POST or None, initial=InviteForm.initial_for(supplier))
    back = _next(request, supplier.get_absolute_url())
    if request.method == "POST" and form.is_valid():

        def work() -> Answer:
            invitations = invite_supplier(
                buyer=request.company,
                supplier=supplier,
                emails=form.cleaned_data["emails"],
                by=request.user,
                language=form.cleaned_data["language"],
            )
            addresses = ", ".join(invitation.email for invitation in invitations)
            text = ngettext(
                "The invitation to %(addresses)s is on its way.",
                "The invitations to %(addresses)s are on their way.",
                len(invitations),
            )
            return [(messages.SUCCESS, text % {"addresses": addresses})]

        try:
            _tell(request, submit_once(user=request.user, key=form.once_key, work=work))
        except InvitationError as error:
            for message in error.messages:
                form.add_error("emails", message)
        else:
            return redirect(back)
    return render(
        request,
        "invitations/invite.html",
        {
            "form": form,
            "supplier": supplier,
            "back": back,
            "added": request.GET.get("added") == "1",
            "open_invitations": supplier.invitations.open(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@company_view(admin=True)
def invite_selected(request: HttpRequest) -> HttpResponse:
    form = InviteSelectedForm(request.POST, buyer=request.company)
    back = reverse("supplier_list")
    if form.is_valid():
        if form.cleaned_data["query"]:
            back = f"{back}?{form.cleaned_data['query']}"

        def work() -> Answer:
            suppliers = form.suppliers()
            if form.cleaned_data["all_matching"]:
                count = suppliers.count()
                if count > settings.INVITE_IN_BACKGROUND_ABOVE:
                    return _invite_in_background(request, form.cleaned_data["query"], count)
            report = invite_suppliers(buyer=request.company, suppliers=suppliers, by=request.user)
            level = messages.SUCCESS if report.invited_count else messages.WARNING
            return [(level, report.summary())]

        _tell(request, submit_once(user=request.user, key=form.once_key, work=work))
    else:
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
    return redirect(back)


def _invite_in_background(request: HttpRequest, query: str, count: int) -> Answer:
    """Too many for one request: the worker invites them once this answer is committed."""
    arguments = {"buyer_id": str(request.company.id), "user_id": request.user.pk, "query": query}
    transaction.on_commit(lambda: invite_matching_suppliers.enqueue(**arguments))
    text = _(
        "%(count)s suppliers are being invited in the background; the Invitations page "
        "lists each invitation as it is created."
    ) % {"count": intcomma(count)}
    return [(messages.INFO, text)]


@company_view()
def invitation_list(request: HttpRequest) -> HttpResponse:
    filters = InvitationFilterForm(request.GET, buyer=request.company)
    invitations = Invitation.objects.for_company(request.company).select_related(
        "supplier__company", "created_by", "accepted_by", "revoked_by"
    )
    invitations = filters.filter(invitations) if filters.is_valid() else invitations.none()
    page = Paginator(invitations, settings.SUPPLIERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "invitations/invitation_list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


def _change(request: HttpRequest, invitation_id: str, change, success: str) -> HttpResponse:
    """Resend or revoke: one invitation, once per form key, back to where it was asked."""
    invitation = get_owned_or_404(Invitation, request.company, invitation_id)
    form = OnceForm(request.POST)
    form.is_valid()  # only the optional key

    def work() -> Answer:
        change(invitation=invitation, by=request.user)
        return [(messages.SUCCESS, success % {"address": invitation.email})]

    try:
        _tell(request, submit_once(user=request.user, key=form.once_key, work=work))
    except InvitationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_next(request, reverse("invitation_list")))


@require_POST
@company_view(admin=True)
def invitation_resend(request: HttpRequest, invitation_id: str) -> HttpResponse:
    return _change(
        request,
        invitation_id,
        resend_invitation,
        _("A new code is on its way to %(address)s; the earlier one no longer works."),
    )


@require_POST
@company_view(admin=True)
def invitation_revoke(request: HttpRequest, invitation_id: str) -> HttpResponse:
    return _change(
        request,
        invitation_id,
        revoke_invitation,
        _("The invitation to %(address)s was revoked; its code no longer works."),
    )
