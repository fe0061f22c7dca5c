from django.contrib import admin
from django.urls import include, path

from suppliernet.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("suppliernet.operations.urls")),
    path("", include("suppliernet.companies.urls")),
    path("network/", include("suppliernet.network.urls")),
    path("network/", include("suppliernet.invitations.urls")),
    path("network/", include("suppliernet.imports.urls")),
    path("network/", include("suppliernet.documents.urls")),
    path("outbox/", include("suppliernet.outbox.urls")),
    path("activate/", include("suppliernet.registration.urls")),
    path("api/v1/", api.urls),
    path("company/api-tokens/", include("suppliernet.api.urls")),
    path("company/webhooks/", include("suppliernet.webhooks.urls")),
]
