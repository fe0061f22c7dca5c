"""The kinds of received documents, shared by the parser (no database) and the models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    DIAN = "dian", _("DIAN UBL 2.1 (Colombia)")
    SUNAT = "sunat", _("SUNAT UBL 2.1 (Peru)")
    CFDI = "cfdi", _("CFDI 4.0 (Mexico)")
    DTE = "dte", _("SII DTE (Chile)")


# The country whose tax IDs each format carries.
FORMAT_COUNTRY = {Format.DIAN: "CO", Format.SUNAT: "PE", Format.CFDI: "MX", Format.DTE: "CL"}


class DocType(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    DEBIT_NOTE = "debit_note", _("Debit note")


class Outcome(models.TextChoices):
    """What became of one file of an ingestion."""

    ACCEPTED = "accepted", _("Accepted")
    DUPLICATE = "duplicate", _("Duplicate")
    REJECTED = "rejected", _("Rejected")
    SKIPPED = "skipped", _("Skipped")
