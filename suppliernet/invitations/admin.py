from django.contrib import admin

from suppliernet.invitations.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "supplier", "buyer", "status", "created_at", "sent_at", "expires_at"]
    list_filter = ["status", "channel"]
    search_fields = ["email", "supplier__name", "supplier__tax_id", "buyer__legal_name"]
    raw_id_fields = ["buyer", "supplier", "mail", "created_by", "accepted_by", "revoked_by"]
    # The hash is useless to staff and the code itself is never stored.
    exclude = ["code_hash"]
