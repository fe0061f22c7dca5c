from django.urls import path

from suppliernet.operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
