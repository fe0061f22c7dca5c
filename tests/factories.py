"""Factories for the main models; tests build exactly what they need."""

from __future__ import annotations

import factory
from stdnum.co import nit

from suppliernet.companies.models import Company, Membership, User
from suppliernet.network.models import Source, Supplier, SupplierGroup

PASSWORD = "correct horse battery staple"


def colombian_nit(n: int) -> str:
    base = str(800_000_000 + n)
    return base + nit.calc_check_digit(base)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("country", "tax_id")

    country = "CO"
    tax_id = factory.Sequence(colombian_nit)
    legal_name = factory.Sequence(lambda n: f"Empresa {n} S.A.S.")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = "admin"


class SupplierGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierGroup

    buyer = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    """A buyer's supplier; the supplier company is created with the same identity."""

    class Meta:
        model = Supplier
        skip_postgeneration_save = True

    buyer = factory.SubFactory(CompanyFactory)
    company = factory.SubFactory(
        CompanyFactory,
        legal_name=factory.SelfAttribute("..name"),
        tax_id=factory.Sequence(lambda n: colombian_nit(100_000 + n)),
    )
    country = factory.SelfAttribute("company.country")
    tax_id = factory.SelfAttribute("company.tax_id")
    name = factory.Sequence(lambda n: f"Proveedor {n} Ltda.")
    city = "Bogotá"
    email = factory.Sequence(lambda n: f"facturas{n}@proveedor.example")
    source = Source.MANUAL

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)
