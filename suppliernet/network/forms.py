from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.taxids import InvalidTaxId, TaxId, country_choices, normalize_tax_id
from suppliernet.network.models import Supplier
from suppliernet.network.suppliers import SupplierDetails

EMAIL_SEPARATORS = str.maketrans({";": ",", "\n": ",", "\r": ",", " ": ","})


def split_emails(text: str) -> list[str]:
    return [part for part in text.translate(EMAIL_SEPARATORS).split(",") if part]


def clean_email_list(text: str) -> list[str]:
    """Every address valid and listed once; errors name each bad address."""
    emails: list[str] = []
    errors: list[str] = []
    for address in split_emails(text):
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                gettext("“%(address)s” is not a valid e-mail address.") % {"address": address}
            )
            continue
        if address.lower() in (e.lower() for e in emails):
            errors.append(gettext("“%(address)s” is listed twice.") % {"address": address})
            continue
        emails.append(address)
    if errors:
        raise ValidationError(errors)
    return emails


def _limit(field: str) -> int:
    return Supplier._meta.get_field(field).max_length


class SupplierDetailsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=_limit("name"))
    description = forms.CharField(
        label=_("Description"), max_length=_limit("description"), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=_limit("address"), required=False)
    city = forms.CharField(label=_("City"), max_length=_limit("city"), required=False)
    province = forms.CharField(label=_("Province"), max_length=_limit("province"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=_limit("phone"), required=False)
    fax = forms.CharField(label=_("Fax"), max_length=_limit("fax"), required=False)
    emails = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=2000,
        help_text=_(
            "Several addresses separated by commas or semicolons; the first is the primary."
        ),
    )
    groups = forms.CharField(
        label=_("Groups"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas or semicolons; new groups are created."),
    )

    def clean_emails(self) -> list[str]:
        return clean_email_list(self.cleaned_data["emails"])

    def clean_groups(self) -> list[str]:
        names = [g.strip() for g in self.cleaned_data["groups"].replace(";", ",").split(",")]
        too_long = [n for n in names if len(n) > 80]
        if too_long:
            raise ValidationError(gettext("Group names are limited to 80 characters."))
        return [n for n in names if n]

    def details(self) -> SupplierDetails:
        data = self.cleaned_data
        return SupplierDetails(
            **{k: data[k] for k in ("name", "description", "address", "city", "province")},
            phone=data["phone"],
            fax=data["fax"],
            emails=data["emails"],
            groups=data["groups"],
        )

    @classmethod
    def initial_for(cls, supplier: Supplier) -> dict:
        return {
            **{f: getattr(supplier, f) for f in ("name", "description", "address", "city")},
            "province": supplier.province,
            "phone": supplier.phone,
            "fax": supplier.fax,
            "emails": ", ".join(supplier.all_emails),
            "groups": ", ".join(g.name for g in supplier.groups.all()),
        }


class AddSupplierForm(SupplierDetailsForm):
    country = forms.ChoiceField(label=_("Country"))
    tax_id = forms.CharField(label=_("Tax ID"), max_length=40)

    field_order = ["country", "tax_id", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("country") and data.get("tax_id"):
            try:
                data["tax_id"] = normalize_tax_id(data["country"], data["tax_id"])
            except InvalidTaxId as error:
                self.add_error("tax_id", error.message)
        return data

    @property
    def normalized_tax_id(self) -> TaxId:
        return self.cleaned_data["tax_id"]
