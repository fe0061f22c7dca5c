"""Demo data: two buyers (Colombia, Chile) with an admin and a member each and a few hundred
suppliers with valid tax IDs. Running it again changes nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from stdnum.cl import rut
from stdnum.co import nit

from suppliernet.companies.models import Company, Membership, Role, User
from suppliernet.network.models import Source, Supplier
from suppliernet.network.suppliers import resolve_groups

DEMO_PASSWORD = "demo-pass-2026"
STAFF_EMAIL = "staff@suppliernet.example"


@dataclass(frozen=True)
class DemoBuyer:
    country: str
    tax_id: str
    legal_name: str
    domain: str
    language: str
    cities: tuple[str, ...]
    groups: tuple[str, ...]


BUYERS = (
    DemoBuyer(
        "CO",
        "9001234568",
        "Almacenes Andinos S.A.S.",
        "andinos.example",
        "es",
        ("Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga", "Pereira"),
        ("Logística", "Materias primas", "Servicios", "Críticos"),
    ),
    DemoBuyer(
        "CL",
        "760864285",
        "Comercial Austral SpA",
        "austral.example",
        "es",
        ("Santiago", "Peñalolén", "Ñuñoa", "Valparaíso", "Concepción", "Temuco"),
        ("Transporte", "Insumos", "Tecnología"),
    ),
)
WORDS = (
    "Andes",
    "Pacífico",
    "Cóndor",
    "Sol",
    "Río",
    "Montaña",
    "Café",
    "Ñandú",
    "Volcán",
    "Selva",
    "Caribe",
    "Austral",
    "Norte",
    "Valle",
    "Mar",
    "Puerto",
    "Llanos",
    "Altiplano",
)
TRADES = (
    "Transportes",
    "Suministros",
    "Papelería",
    "Tecnología",
    "Alimentos",
    "Ferretería",
    "Logística",
    "Consultores",
    "Empaques",
    "Químicos",
    "Textiles",
    "Servicios",
)
PHONE_PREFIX = {"CO": "57 601", "CL": "56 2"}
FORMS = {"CO": ("S.A.S.", "Ltda.", "S.A."), "CL": ("SpA", "Ltda.", "S.A.")}


def demo_tax_id(country: str, rng: random.Random) -> str:
    if country == "CO":
        base = str(rng.randint(800_000_000, 901_999_999))
        return base + nit.calc_check_digit(base)
    base = str(rng.randint(76_000_000, 77_999_999))
    return base + rut.calc_check_digit(base)


def demo_user(email: str, name: str, language: str, *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            language=language,
            is_staff=staff,
            is_superuser=staff,
        )
    return user


@transaction.atomic
def seed_demo(suppliers_per_buyer: int = 300) -> list[tuple[str, str]]:
    """Returns the demo logins as (e-mail, role description)."""
    logins = [(STAFF_EMAIL, "staff (admin pages, outbox)")]
    demo_user(STAFF_EMAIL, "SupplierNet Staff", "en", staff=True)
    for buyer_spec in BUYERS:
        buyer, _ = Company.objects.get_or_create(
            country=buyer_spec.country,
            tax_id=buyer_spec.tax_id,
            defaults={"legal_name": buyer_spec.legal_name, "registered_at": timezone.now()},
        )
        for role in (Role.ADMIN, Role.MEMBER):
            email = f"{role}@{buyer_spec.domain}"
            user = demo_user(email, f"{role.label} {buyer_spec.legal_name}", "en")
            Membership.objects.get_or_create(user=user, company=buyer, defaults={"role": role})
            logins.append((email, f"{role} of {buyer.legal_name}"))
        seed_suppliers(buyer, buyer_spec, suppliers_per_buyer)
    return logins


def seed_suppliers(buyer: Company, spec: DemoBuyer, count: int) -> None:
    if Supplier.objects.for_company(buyer).exists():
        return
    rng = random.Random(spec.tax_id)
    groups = resolve_groups(buyer, spec.groups)
    now = timezone.now()
    for index in range(count):
        tax_id = demo_tax_id(spec.country, rng)
        name = f"{rng.choice(TRADES)} {rng.choice(WORDS)} {rng.choice(FORMS[spec.country])}"
        company, _ = Company.objects.get_or_create(
            country=spec.country, tax_id=tax_id, defaults={"legal_name": name}
        )
        if index % 3 == 0 and company.registered_at is None:
            company.registered_at = now
            company.save(update_fields=["registered_at"])
        slug = name.split(" ")[0].lower()
        supplier, created = Supplier.objects.get_or_create(
            buyer=buyer,
            company=company,
            defaults={
                "country": spec.country,
                "tax_id": tax_id,
                "name": name,
                "city": rng.choice(spec.cities),
                "address": f"Calle {rng.randint(1, 150)} # {rng.randint(10, 99)}-40",
                "phone": f"+{PHONE_PREFIX[spec.country]} {rng.randint(3_000_000, 9_999_999)}",
                "email": "" if index % 17 == 5 else f"facturacion@{slug}{index}.example",
                "source": Source.IMPORT if index % 2 else Source.MANUAL,
            },
        )
        if created and index % 4 != 3:
            supplier.groups.add(rng.choice(groups))
