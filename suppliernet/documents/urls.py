from django.urls import path

from suppliernet.documents import views

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/upload/", views.document_upload, name="document_upload"),
    path(
        "documents/uploads/<uuid:upload_id>/",
        views.document_upload_detail,
        name="document_upload_detail",
    ),
    path(
        "suppliers/<uuid:supplier_id>/use-suggested-email/",
        views.supplier_use_suggested_email,
        name="supplier_use_suggested_email",
    ),
]
