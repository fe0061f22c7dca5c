from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from suppliernet.webhooks.models import Event, WebhookEndpoint
from suppliernet.webhooks.targets import RefusedTarget, check_url


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=WebhookEndpoint._meta.get_field("url").max_length,
        assume_scheme="https",
        help_text=_("Where we POST each event as JSON, e.g. https://erp.example.com/hooks."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Event.values,
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except RefusedTarget as refusal:
            raise ValidationError(refusal.message) from None
        return url
