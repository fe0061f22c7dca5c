"""Company → API tokens: company admins create tokens (shown once), see when each was last
used and revoke them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suppliernet.api.forms import TokenForm
from suppliernet.api.models import ApiToken
from suppliernet.api.tokens import create_token, revoke_token
from suppliernet.companies.tenancy import company_view, get_owned_or_404


def _page(
    request: HttpRequest, form: TokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    tokens = ApiToken.objects.for_company(request.company).select_related("created_by")
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=status,
    )
    if secret:  # the one page that shows it: never from a cache or the back button
        response["Cache-Control"] = "no-store"
    return response


@company_view(admin=True)
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@require_POST
@company_view(admin=True)
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    new = create_token(
        company=request.company,
        name=form.cleaned_data["name"],
        role=form.cleaned_data["role"],
        by=request.user,
    )
    messages.success(
        request,
        _("Token “%(name)s” created. Copy it now: it is not shown again.")
        % {"name": new.token.name},
    )
    return _page(request, TokenForm(), secret=new.secret)


@require_POST
@company_view(admin=True)
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = revoke_token(
        token=get_owned_or_404(ApiToken, request.company, token_id), by=request.user
    )
    messages.success(
        request, _("Token “%(name)s” was revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("api_token_list")
