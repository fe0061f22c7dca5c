from django.contrib import admin

from suppliernet.documents.models import DocumentUpload, ReceivedDocument


@admin.register(ReceivedDocument)
class ReceivedDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "doc_type", "issue_date", "issuer_name", "buyer", "received_at"]
    list_filter = ["format", "doc_type", "channel"]
    search_fields = ["number", "issuer_tax_id", "issuer_name", "buyer__tax_id", "buyer__legal_name"]
    raw_id_fields = ["buyer", "supplier", "uploaded_by"]


@admin.register(DocumentUpload)
class DocumentUploadAdmin(admin.ModelAdmin):
    list_display = ["file_names", "buyer", "status", "accepted", "rejected", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["buyer", "uploaded_by"]
    exclude = ["results"]
