from django.contrib import admin

from suppliernet.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "company", "actor", "action", "summary", "channel"]
    list_filter = ["action", "channel"]
    search_fields = ["summary", "company__tax_id", "actor__email"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
