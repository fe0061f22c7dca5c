"""Imports for tests that only need one in place (the isolation walk); flows go through
`uploads.start_import` and the tasks."""

from __future__ import annotations

import factory

from suppliernet.imports.models import Status, SupplierImport


class SupplierImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierImport

    buyer = factory.SubFactory("tests.factories.CompanyFactory")
    file = factory.django.FileField(filename="suppliers.csv", data=b"Tax ID*,Name*\r\n")
    file_name = "suppliers.csv"
    sha256 = "0" * 64
    size = 15
    status = Status.VALIDATED
    rows_total = 1
    rows_with_errors = 1
