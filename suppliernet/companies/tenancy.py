"""The one tenancy mechanism: the active company is resolved once per request, every
tenant-owned model is read through its company-scoped manager, and views declare
the role they need instead of checking it themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

if TYPE_CHECKING:
    from suppliernet.companies.models import Company, Membership

SESSION_KEY = "active_company_id"
M = TypeVar("M", bound=models.Model)


class CompanyScopedQuerySet(models.QuerySet):
    """Models using this declare `company_field`, the path to the owning company."""

    def for_company(self, company: Company) -> CompanyScopedQuerySet:
        return self.filter(**{self.model.company_field: company})


CompanyScopedManager = models.Manager.from_queryset(CompanyScopedQuerySet)


def get_owned_or_404(model: type[M], company: Company, pk: Any, **lookups: Any) -> M:
    """The object only if `company` owns it: another company's ID is a plain 404."""
    try:
        return model.objects.for_company(company).get(pk=pk, **lookups)  # type: ignore[attr-defined]
    except (model.DoesNotExist, ValueError, ValidationError):  # a malformed UUID is not found too
        raise Http404 from None


def active_membership(request: HttpRequest) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    memberships = list(request.user.memberships.select_related("company"))
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.company_id) == wanted:
            return membership
    return memberships[0]


class ActiveCompanyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = active_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.company = membership.company if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)


def active_company(request: HttpRequest) -> dict[str, Any]:
    """Template context: the active company, the user's role and the companies to switch to."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "company": membership.company,
        "membership": membership,
        "is_company_admin": membership.is_admin,
        "other_memberships": request.user.memberships.exclude(pk=membership.pk).select_related(
            "company"
        ),
    }


def company_view(*, admin: bool = False) -> Callable:
    """Declares that a view needs a logged-in member of the active company, or an admin."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.membership is None:  # type: ignore[attr-defined]
                return redirect("no_company")
            if admin and not request.membership.is_admin:  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.company_admin_only = admin  # type: ignore[attr-defined]
        return wrapped

    return decorator
