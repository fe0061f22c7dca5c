from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suppliernet.companies.forms import ColleagueForm, LanguageForm
from suppliernet.companies.models import Membership
from suppliernet.companies.overview import company_overview
from suppliernet.companies.people import AlreadyMember, add_colleague
from suppliernet.companies.tenancy import SESSION_KEY, company_view


@company_view()
def home(request: HttpRequest) -> HttpResponse:
    overview = company_overview(company=request.company)
    return render(request, "companies/home.html", {"overview": overview})


@login_required
def no_company(request: HttpRequest) -> HttpResponse:
    return render(request, "companies/no_company.html")


@require_POST
@login_required
def switch_company(request: HttpRequest) -> HttpResponse:
    membership = request.user.memberships.filter(company_id=request.POST.get("company")).first()
    if membership is None:
        messages.error(request, _("You are not a member of that company."))
    else:
        request.session[SESSION_KEY] = str(membership.company_id)
    return redirect("home")


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


def _users_page(request: HttpRequest, form: ColleagueForm, status: int = 200) -> HttpResponse:
    members = Membership.objects.filter(company=request.company).select_related("user")
    return render(
        request, "companies/users.html", {"form": form, "members": members}, status=status
    )


@company_view()
def company_users(request: HttpRequest) -> HttpResponse:
    return _users_page(request, ColleagueForm())


@require_POST
@company_view(admin=True)
def colleague_add(request: HttpRequest) -> HttpResponse:
    form = ColleagueForm(request.POST)
    if not form.is_valid():
        return _users_page(request, form, status=400)
    try:
        add_colleague(
            company=request.company,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
    except AlreadyMember:
        form.add_error("email", _("This person is already a member of the company."))
        return _users_page(request, form, status=409)
    messages.success(
        request,
        _("%(email)s was added and will receive an e-mail.")
        % {"email": form.cleaned_data["email"]},
    )
    return redirect("company_users")
