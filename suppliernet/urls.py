from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("suppliernet.companies.urls")),
    path("network/", include("suppliernet.network.urls")),
]
