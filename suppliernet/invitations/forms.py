from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from suppliernet.companies.models import Company, User
from suppliernet.invitations.idempotency import parse_key
from suppliernet.invitations.message import language_for
from suppliernet.invitations.models import Invitation, Status
from suppliernet.network.forms import split_emails
from suppliernet.network.listing import SupplierFilterForm, filter_suppliers
from suppliernet.network.models import Supplier


class OnceForm(forms.Form):
    """A form posted with a one-time key (see `idempotency`); templates add it with
    `{% once_key %}`."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def once_key(self) -> uuid.UUID | None:
        return parse_key(self.cleaned_data.get("key"))


class InviteForm(OnceForm):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        max_length=5000,
        error_messages={"required": _("Enter at least one e-mail address.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Separate several addresses with commas, semicolons or new lines. "
            "Each address gets its own invitation and activation code."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    def clean_emails(self) -> list[str]:
        # Each address is checked by `invite_supplier`, which names every bad one.
        return split_emails(self.cleaned_data["emails"])

    @staticmethod
    def initial_for(supplier: Supplier) -> dict:
        open_addresses = {i.email.lower() for i in supplier.invitations.open()}
        return {
            "emails": "" if supplier.email.lower() in open_addresses else supplier.email,
            "language": language_for(supplier.country),
        }


def suppliers_matching(buyer: Company, query: str) -> QuerySet[Supplier]:
    """The buyer's suppliers that the Suppliers list's filter `query` (its querystring)
    matches, evaluated here under the buyer's scope. Raises ValidationError when the filter
    is no longer valid (e.g. a deleted group)."""
    filters = SupplierFilterForm(QueryDict(query), buyer=buyer)
    if not filters.is_valid():
        raise ValidationError(gettext("The list's filter is not valid any more."))
    return filter_suppliers(Supplier.objects.for_company(buyer), filters.cleaned_data)


class InviteSelectedForm(OnceForm):
    """The ticked suppliers, or every supplier the list's filter matches (all pages)."""

    supplier = forms.ModelMultipleChoiceField(queryset=Supplier.objects.none(), required=False)
    all_matching = forms.BooleanField(required=False)
    query = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, buyer: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.buyer = buyer
        # Another company's ID is not a valid choice: it can never be invited from here.
        self.fields["supplier"].queryset = Supplier.objects.for_company(buyer)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("all_matching"):
            data["matching"] = suppliers_matching(self.buyer, data.get("query") or "")
        elif not data.get("supplier"):
            raise ValidationError(gettext("Select at least one supplier."))
        return data

    def suppliers(self) -> QuerySet[Supplier]:
        """The ticked ones, or all that the filter matches now: never a list from the page."""
        if self.cleaned_data.get("all_matching"):
            return self.cleaned_data["matching"]
        return self.cleaned_data["supplier"]


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    sender = forms.ModelChoiceField(
        label=_("Sent by"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, buyer: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = User.objects.filter(memberships__company=buyer)

    def filter(self, invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
        data = self.cleaned_data
        if data.get("status"):
            invitations = invitations.with_status(data["status"])
        if data.get("sender"):
            invitations = invitations.filter(created_by=data["sender"])
        if data.get("since"):
            invitations = invitations.filter(created_at__date__gte=data["since"])
        if data.get("until"):
            invitations = invitations.filter(created_at__date__lte=data["until"])
        return invitations
