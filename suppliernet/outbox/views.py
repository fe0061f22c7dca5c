"""The outbox page: what was sent and what failed. Staff see every message, a company's admins
their company's; in development (EMAIL_URL=mailbox://) it is the mailbox to read them in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.rendering import content_of

# The HTML part is the e-mail as its recipient gets it: nothing may load or run, and it may not
# be framed; links still work (the recipient would click them too).
HTML_PART_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
    "form-action 'none'; base-uri 'none'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)


def outbox_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff: all mail; a company admin: the active company's; a member: 403."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_staff:
            mails = OutgoingMail.objects.all()
        elif request.membership is None:  # type: ignore[attr-defined]
            return redirect("no_company")
        elif request.membership.is_admin:  # type: ignore[attr-defined]
            mails = OutgoingMail.objects.for_company(request.company)  # type: ignore[attr-defined]
        else:
            raise PermissionDenied
        return view(request, mails, *args, **kwargs)

    return wrapped


def _get_visible_or_404(mails: QuerySet[OutgoingMail], mail_id: Any) -> OutgoingMail:
    try:
        return mails.select_related("company").get(pk=mail_id)
    except (OutgoingMail.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _may_read_body(request: HttpRequest, mail: OutgoingMail) -> bool:
    """An invitation's body holds the supplier's activation code: a buyer's admin who could read
    it could register the supplier in its place, so only staff see such bodies."""
    return request.user.is_staff or not mail.confidential


@require_GET
@outbox_view
def outbox_list(request: HttpRequest, mails: QuerySet[OutgoingMail]) -> HttpResponse:
    counts = dict(mails.order_by().values_list("status").annotate(n=Count("id")))
    status = request.GET.get("status", "")
    if status in MailStatus.values:
        mails = mails.filter(status=status)
    else:
        status = ""
    page = Paginator(
        mails.select_related("company").defer("context", "text", "html"),
        settings.SUPPLIERS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/list.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in MailStatus.choices
            ],
            "total": sum(counts.values()),
            "query": f"status={status}" if status else "",
        },
    )


@require_GET
@outbox_view
def outbox_detail(
    request: HttpRequest, mails: QuerySet[OutgoingMail], mail_id: Any
) -> HttpResponse:
    mail = _get_visible_or_404(mails, mail_id)
    readable = _may_read_body(request, mail)
    return render(
        request,
        "outbox/detail.html",
        {"mail": mail, "content": content_of(mail) if readable else None},
    )


@require_GET
@outbox_view
def outbox_html(request: HttpRequest, mails: QuerySet[OutgoingMail], mail_id: Any) -> HttpResponse:
    mail = _get_visible_or_404(mails, mail_id)
    if not _may_read_body(request, mail):
        raise PermissionDenied
    html = content_of(mail).html
    if not html:
        raise Http404
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PART_POLICY
    response["Referrer-Policy"] = "no-referrer"
    return response
