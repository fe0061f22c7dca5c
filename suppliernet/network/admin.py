from django.contrib import admin

from suppliernet.network.models import Supplier, SupplierGroup


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "tax_id", "buyer", "city", "source", "created_at"]
    list_filter = ["country", "source"]
    search_fields = ["tax_id", "name", "company__tax_id", "buyer__tax_id", "buyer__legal_name"]
    raw_id_fields = ["buyer", "company"]
    filter_horizontal = ["groups"]


@admin.register(SupplierGroup)
class SupplierGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "buyer"]
    search_fields = ["name", "buyer__legal_name", "buyer__tax_id"]
