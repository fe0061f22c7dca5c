from django.urls import path

from suppliernet.outbox import views

urlpatterns = [
    path("", views.outbox_list, name="outbox_list"),
    path("<uuid:mail_id>/", views.outbox_detail, name="outbox_detail"),
    path("<uuid:mail_id>/html/", views.outbox_html, name="outbox_html"),
]
