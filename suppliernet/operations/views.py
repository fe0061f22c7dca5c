from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from suppliernet.operations.health import check_health


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers (`?workers=0`: this process and its database only) and monitors
    (database and task workers): no login, no company data, 503 when unhealthy."""
    health = check_health(workers=request.GET.get("workers") != "0")
    return JsonResponse(asdict(health), status=200 if health.ok else 503)
