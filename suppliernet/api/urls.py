from django.urls import path

from suppliernet.api import views

urlpatterns = [
    path("", views.token_list, name="api_token_list"),
    path("create/", views.token_create, name="api_token_create"),
    path("<uuid:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
