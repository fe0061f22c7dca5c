from django.urls import path

from suppliernet.network import views

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/add/", views.supplier_add, name="supplier_add"),
    path("suppliers/<uuid:supplier_id>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<uuid:supplier_id>/edit/", views.supplier_edit, name="supplier_edit"),
]
