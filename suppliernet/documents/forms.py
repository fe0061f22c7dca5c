from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data, initial)]  # nothing chosen: the "required" error


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("XML or zip files"),
        error_messages={"required": _("Choose one or more .xml or .zip files.")},
        widget=MultipleFileInput(
            attrs={"accept": ".xml,.zip,application/xml,text/xml,application/zip"}
        ),
        help_text=_(
            "Electronic invoices and credit or debit notes your company received, as XML or in "
            "zips: DIAN and SUNAT UBL 2.1 (with DIAN's AttachedDocument), CFDI 4.0 and Chilean "
            "DTE. Each issuer joins your suppliers."
        ),
    )

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        size = sum(upload.size or 0 for upload in files)
        if size > settings.DOCUMENTS_MAX_ZIP_BYTES:
            raise ValidationError(
                gettext("These files are %(size)s together; at most %(limit)s at once.")
                % {
                    "size": filesizeformat(size),
                    "limit": filesizeformat(settings.DOCUMENTS_MAX_ZIP_BYTES),
                }
            )
        return files

    def contents(self) -> list[tuple[str, bytes]]:
        return [(upload.name or "", upload.read()) for upload in self.cleaned_data["files"]]
