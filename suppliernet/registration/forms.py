from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company, User
from suppliernet.invitations import codes
from suppliernet.invitations.models import Invitation
from suppliernet.registration.models import CompanyProfile
from suppliernet.registration.registering import CompanyDetails, NewPerson

# What the country calls its first-level division; "Province" elsewhere.
REGION_LABELS = {
    "BR": _("State"),
    "CL": _("Region"),
    "CO": _("Department"),
    "GT": _("Department"),
    "MX": _("State"),
    "PY": _("Department"),
    "SV": _("Department"),
    "US": _("State"),
    "UY": _("Department"),
    "VE": _("State"),
}
# Where invoices need the postal code of the tax address (CFDI in Mexico, CEP, ZIP).
POSTAL_CODE_REQUIRED = frozenset({"BR", "MX", "US"})


def _limit(model: type, field: str) -> int:
    return model._meta.get_field(field).max_length


def _validator_help() -> str:
    return " ".join(password_validation.password_validators_help_texts())


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=64,
        help_text=_("From your invitation e-mail, like K7QM-4X2P-9HDT."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    tax_id = forms.CharField(
        label=_("Your company's tax ID"),
        max_length=40,
        help_text=_("With or without the check digit; dots, spaces and hyphens do not matter."),
    )

    def clean_code(self) -> str:
        # Only the shape is checked here, which says nothing about which codes exist.
        code = codes.normalize(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _("An activation code has 12 letters and digits, like K7QM-4X2P-9HDT.")
            )
        return code


class ContactForm(forms.Form):
    """Who asks: an admin of the registered company, or the inviting company."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail"))


class RegistrationForm(forms.Form):
    tax_id = forms.CharField(label=_("Tax ID"), disabled=True, required=False)
    legal_name = forms.CharField(label=_("Legal name"), max_length=_limit(Company, "legal_name"))
    address = forms.CharField(label=_("Address"), max_length=_limit(CompanyProfile, "address"))
    city = forms.CharField(label=_("City"), max_length=_limit(CompanyProfile, "city"))
    province = forms.CharField(label=_("Province"), max_length=_limit(CompanyProfile, "province"))
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=_limit(CompanyProfile, "postal_code"), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=_limit(CompanyProfile, "phone"))
    full_name = forms.CharField(label=_("Your full name"), max_length=_limit(User, "full_name"))
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_(
            "You log in with it. The invitation's address is filled in; change it if "
            "you use another."
        ),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(_validator_help, str)(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    PERSON_FIELDS = ("full_name", "email", "password1", "password2")

    def __init__(self, *args, invitation: Invitation, new_person: bool, **kwargs):
        supplier, company = invitation.supplier, invitation.supplier.company
        kwargs["initial"] = {
            "tax_id": f"{company.country} {company.tax_id_display}",
            "legal_name": company.legal_name,
            "address": supplier.address,
            "city": supplier.city,
            "province": supplier.province,
            "phone": supplier.phone,
            "email": invitation.email,
        }
        super().__init__(*args, **kwargs)
        self.fields["province"].label = REGION_LABELS.get(company.country, _("Province"))
        self.fields["postal_code"].required = company.country in POSTAL_CODE_REQUIRED
        if not new_person:
            for name in self.PERSON_FIELDS:
                del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        if "password1" not in self.fields:
            return data
        password, again = data.get("password1"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("The two passwords do not match."))
        elif password:
            someone = User(email=data.get("email") or "", full_name=data.get("full_name") or "")
            try:
                password_validation.validate_password(password, someone)
            except ValidationError as error:
                self.add_error("password2", error)
        return data

    def details(self) -> CompanyDetails:
        data = self.cleaned_data
        return CompanyDetails(
            legal_name=data["legal_name"].strip(),
            address=data["address"].strip(),
            city=data["city"].strip(),
            province=data["province"].strip(),
            postal_code=data["postal_code"].strip(),
            phone=data["phone"].strip(),
        )

    def new_person(self) -> NewPerson | None:
        if "password1" not in self.fields:
            return None
        data = self.cleaned_data
        return NewPerson(
            full_name=data["full_name"].strip(), email=data["email"], password=data["password1"]
        )
