"""The public activation flow: code and tax ID, then the page for the invitation's state
(the registration form, "already registered" or "no longer valid"), and the two requests a
visitor may send from there. Only `activate` and `register` take secrets; they are hidden from
error reports."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from suppliernet.companies.tenancy import SESSION_KEY as ACTIVE_COMPANY_KEY
from suppliernet.invitations.models import Invitation
from suppliernet.registration import session
from suppliernet.registration.activation import (
    State,
    TooManyAttempts,
    WrongPair,
    admin_contact,
    check_pair,
    state,
)
from suppliernet.registration.asking import (
    NobodyToAsk,
    NotApplicable,
    TooManyRequests,
    ask_admin_to_add,
    ask_for_new_code,
)
from suppliernet.registration.forms import ActivationForm, ContactForm, RegistrationForm
from suppliernet.registration.limits import client_ip
from suppliernet.registration.registering import (
    AlreadyRegistered,
    EmailTaken,
    InvitationClosed,
    register_company,
)

TEMPLATES = {
    State.OPEN: "registration_flow/register.html",
    State.REGISTERED: "registration_flow/registered.html",
    State.CLOSED: "registration_flow/closed.html",
}


def _wait_message() -> str:
    minutes = math.ceil(
        settings.REGISTRATION_FAILURE_WINDOW_MINUTES / max(settings.REGISTRATION_MAX_FAILURES, 1)
    )
    return ngettext(
        "Too many failed attempts. Wait %(minutes)s minute and try again.",
        "Too many failed attempts. Wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


@never_cache
@sensitive_post_parameters("code", "tax_id")
@sensitive_variables("code")
def activate(request: HttpRequest) -> HttpResponse:
    if code := request.GET.get("code"):
        # The link from the e-mail: the code moves to the session and out of the URL (and so
        # out of the history, access logs and Referer headers from here on).
        session.keep_code(request, code)
        return redirect("activate")
    form = ActivationForm(request.POST or None, initial={"code": session.pending_code(request)})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            invitation = check_pair(
                code=form.cleaned_data["code"],
                tax_id=form.cleaned_data["tax_id"],
                ip=client_ip(request),
            )
        except TooManyAttempts:
            form.add_error(None, _wait_message())
            status = 429
        except WrongPair:
            form.add_error(
                None,
                _(
                    "The activation code and the tax ID do not match. Check both and try "
                    "again; if it keeps failing, ask the company that invited you for a new code."
                ),
            )
            status = 400
        else:
            session.remember(request, invitation)
            return redirect("activation_register")
    elif request.method == "POST":
        status = 400
    return render(request, "registration_flow/activate.html", {"form": form}, status=status)


def _state_page(
    request: HttpRequest,
    invitation: Invitation,
    *,
    form: RegistrationForm | None = None,
    contact_form: ContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    current = state(invitation)
    company = invitation.supplier.company
    context = {"invitation": invitation, "supplier_company": company, "state": current}
    if current == State.OPEN:
        context["form"] = form or RegistrationForm(
            invitation=invitation, new_person=not request.user.is_authenticated
        )
    else:
        person = request.user if request.user.is_authenticated else None
        context["contact_form"] = contact_form or ContactForm(
            initial={
                "name": person.full_name if person else "",
                "email": person.email if person else invitation.email,
            }
        )
    if current == State.REGISTERED:
        context["contact"] = admin_contact(company)
        context["is_member"] = (
            request.user.is_authenticated
            and request.user.memberships.filter(company=company).exists()
        )
    return render(request, TEMPLATES[current], context, status=status)


def _start_over(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Enter your activation code and tax ID again."))
    return redirect("activate")


@never_cache
@sensitive_post_parameters("password1", "password2")
def register(request: HttpRequest) -> HttpResponse:
    invitation = session.checked_invitation(request)
    if invitation is None:
        return _start_over(request)
    if request.method != "POST":
        return _state_page(request, invitation)
    if state(invitation) != State.OPEN:
        return _state_page(request, invitation, status=409)
    user = request.user if request.user.is_authenticated else None
    form = RegistrationForm(request.POST, invitation=invitation, new_person=user is None)
    if not form.is_valid():
        return _state_page(request, invitation, form=form, status=400)
    try:
        membership = register_company(
            invitation_id=invitation.id,
            details=form.details(),
            person=form.new_person(),
            user=user,
            ip=client_ip(request),
        )
    except EmailTaken:
        form.add_error(
            "email",
            _(
                "An account with this e-mail exists already. Log in with it (the page brings "
                "you back here) or use another e-mail."
            ),
        )
        return _state_page(request, invitation, form=form, status=409)
    except (AlreadyRegistered, InvitationClosed):
        return _state_page(request, invitation, status=409)
    if user is None:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    session.forget(request)
    request.session[ACTIVE_COMPANY_KEY] = str(membership.company_id)
    messages.success(
        request,
        _("%(company)s is registered. Welcome to SupplierNet!")
        % {"company": membership.company.legal_name},
    )
    return redirect("home")


def _ask(request: HttpRequest, ask, done: str) -> HttpResponse:
    invitation = session.checked_invitation(request)
    if invitation is None:
        return _start_over(request)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _state_page(request, invitation, contact_form=form, status=400)
    try:
        ask(
            invitation=invitation,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            ip=client_ip(request),
        )
    except NotApplicable:
        pass  # the page shown next tells what changed
    except NobodyToAsk:
        messages.error(request, _("There is nobody to send the request to."))
    except TooManyRequests:
        messages.error(
            request, _("This request was sent several times today already. Try again tomorrow.")
        )
    else:
        messages.success(request, done)
    return redirect("activation_register")


@require_POST
def ask_admin(request: HttpRequest) -> HttpResponse:
    return _ask(
        request,
        ask_admin_to_add,
        _("Your request was sent to the company's admins. They will add you as a colleague."),
    )


@require_POST
def ask_new_code(request: HttpRequest) -> HttpResponse:
    return _ask(
        request,
        ask_for_new_code,
        _(
            "Your request was sent to the company that invited you. Its new code will come by "
            "e-mail."
        ),
    )
