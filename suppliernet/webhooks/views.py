"""Company → Webhooks: admins add endpoints, see each one's signing secret and delivery log,
pause, resume or remove them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suppliernet.companies.tenancy import company_view, get_owned_or_404
from suppliernet.webhooks.endpoints import add_endpoint, remove_endpoint, set_active
from suppliernet.webhooks.forms import EndpointForm
from suppliernet.webhooks.models import WebhookEndpoint
from suppliernet.webhooks.signing import HEADER


def _list_page(request: HttpRequest, form: EndpointForm, status: int = 200) -> HttpResponse:
    endpoints = WebhookEndpoint.objects.for_company(request.company)
    return render(
        request,
        "webhooks/list.html",
        {"form": form, "endpoints": endpoints, "header": HEADER},
        status=status,
    )


@company_view(admin=True)
def webhook_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, EndpointForm())


@require_POST
@company_view(admin=True)
def webhook_add(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    endpoint = add_endpoint(
        company=request.company,
        url=form.cleaned_data["url"],
        events=form.cleaned_data["events"],
        by=request.user,
    )
    messages.success(request, _("Webhook added. Verify each delivery with its signing secret."))
    return redirect("webhook_detail", endpoint_id=endpoint.id)


@company_view(admin=True)
def webhook_detail(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = get_owned_or_404(WebhookEndpoint, request.company, endpoint_id)
    page = Paginator(endpoint.deliveries.defer("payload"), settings.SUPPLIERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "webhooks/detail.html", {"endpoint": endpoint, "page": page, "header": HEADER}
    )


def _set_active(request: HttpRequest, endpoint_id: str, active: bool) -> HttpResponse:
    endpoint = get_owned_or_404(WebhookEndpoint, request.company, endpoint_id)
    set_active(endpoint=endpoint, active=active, by=request.user)
    if active:
        messages.success(request, _("Webhook active: new events are delivered again."))
    else:
        messages.success(request, _("Webhook paused: no new events are delivered to it."))
    return redirect("webhook_detail", endpoint_id=endpoint.id)


@require_POST
@company_view(admin=True)
def webhook_pause(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    return _set_active(request, endpoint_id, False)


@require_POST
@company_view(admin=True)
def webhook_activate(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    return _set_active(request, endpoint_id, True)


@require_POST
@company_view(admin=True)
def webhook_remove(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = get_owned_or_404(WebhookEndpoint, request.company, endpoint_id)
    remove_endpoint(endpoint=endpoint, by=request.user)
    messages.success(request, _("Webhook %(url)s removed.") % {"url": endpoint.url})
    return redirect("webhook_list")
