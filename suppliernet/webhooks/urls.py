from django.urls import path

from suppliernet.webhooks import views

urlpatterns = [
    path("", views.webhook_list, name="webhook_list"),
    path("add/", views.webhook_add, name="webhook_add"),
    path("<uuid:endpoint_id>/", views.webhook_detail, name="webhook_detail"),
    path("<uuid:endpoint_id>/pause/", views.webhook_pause, name="webhook_pause"),
    path("<uuid:endpoint_id>/activate/", views.webhook_activate, name="webhook_activate"),
    path("<uuid:endpoint_id>/remove/", views.webhook_remove, name="webhook_remove"),
]
