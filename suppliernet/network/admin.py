from django.contrib import admin

from suppliernet.network.models import Supplier, SupplierGroup, SupplierGroupLink


class GroupLinkInline(admin.TabularInline):
    # Supplier.groups goes through SupplierGroupLink (its name copy for the list), so the
    # admin edits the links rather than a many-to-many widget.
    model = SupplierGroupLink
    fields = ["suppliergroup"]
    raw_id_fields = ["suppliergroup"]
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "tax_id", "buyer", "city", "source", "created_at"]
    list_filter = ["country", "source"]
    search_fields = ["tax_id", "name", "company__tax_id", "buyer__tax_id", "buyer__legal_name"]
    raw_id_fields = ["buyer", "company"]
    inlines = [GroupLinkInline]


@admin.register(SupplierGroup)
class SupplierGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "buyer"]
    search_fields = ["name", "buyer__legal_name", "buyer__tax_id"]
