from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from suppliernet.api.models import ApiToken, TokenRole


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What uses it, e.g. “SAP production”."),
    )
    role = forms.ChoiceField(label=_("Access"), choices=TokenRole.choices, initial=TokenRole.READ)
