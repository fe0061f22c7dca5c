from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from suppliernet.imports.reading import FileRejected
from suppliernet.imports.uploads import check_size


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Supplier file"),
        allow_empty_file=True,  # check_size says what to do about it
        help_text=_("The filled-in template, as .xlsx or .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except FileRejected as rejection:
            raise forms.ValidationError(rejection.message) from None
        return upload
