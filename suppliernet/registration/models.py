from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company
from suppliernet.companies.tenancy import CompanyScopedManager


class CompanyProfile(models.Model):
    """The details a company gives of itself when it registers. Each buyer keeps its own copy
    of a supplier's details on its Supplier row; this one is the company's."""

    company_field = "company"

    company = models.OneToOneField(
        Company, primary_key=True, on_delete=models.CASCADE, related_name="profile"
    )
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=50)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyScopedManager()

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profiles")

    def __str__(self) -> str:
        return f"{self.company.legal_name}, {self.city}"
