"""Suppliers list benchmark: one buyer with 1,000,000 suppliers on PostgreSQL.

    .venv/bin/python bench/suppliers_list.py [--suppliers 1000000] [--requests 30] [--fresh]

Generates the buyer's suppliers (and their companies, 20 % registered, and 20 groups) with
`INSERT … SELECT generate_series` in a database of its own (BENCH_LIST_POSTGRES_URL, default
sn_bench_list; kept between runs, since generating takes minutes; --fresh starts over), then
times the list page through Django's test client, logged in as the buyer's admin: server time
p50/p95 of the first page, a deep page, a tax ID prefix, a name contains (accent-insensitive),
a status and a group filter. Prints EXPLAIN (ANALYZE) of the slowest case's main query.
`run()` returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_LIST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sn_bench_list")
ADMIN = "bench-list@buyer.example"
# Words with and without accents; the stored folded name is computed from the same lists.
FIRST = [
    "Papelería",
    "Distribuidora",
    "Ferretería",
    "Comercializadora",
    "Logística",
    "Café",
    "Industrias",
    "Panadería",
    "Transportes",
    "Tecnología",
    "Construcciones",
    "Droguería",
]
SECOND = [
    "Andina",
    "del Norte",
    "Pacífico",
    "Bogotá",
    "Medellín",
    "Caribe",
    "Central",
    "Oriente",
    "Llanos",
    "Montaña",
    "Río",
    "Sabana",
    "Valle",
    "Nariño",
    "Cúcuta",
]
SUFFIX = ["S.A.S.", "Ltda.", "S.A.", "y Cía.", "E.U."]


def configure() -> None:
    os.environ.update(DATABASE_URL=URL, DEBUG="1", LOG_LEVEL="WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suppliernet.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_database(*, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(URL)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def sql_array(words: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + word.replace("'", "''") + "'" for word in words) + "]"


def generate(count: int) -> Any:
    """The buyer, its admin and `count` suppliers; reused when already there."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from suppliernet.companies.models import Company, Membership, User
    from suppliernet.network.models import Supplier, SupplierGroup
    from suppliernet.network.text import fold

    call_command("migrate", verbosity=0)
    buyer, _ = Company.objects.get_or_create(
        country="CO", tax_id="9001234568", defaults={"legal_name": "Comprador Masivo S.A.S."}
    )
    user, _ = User.objects.get_or_create(email=ADMIN)
    Membership.objects.get_or_create(company=buyer, user=user, defaults={"role": "admin"})
    if Supplier.objects.filter(buyer=buyer).count() == count:
        return buyer, user
    started = time.perf_counter()
    folded = {
        key: [fold(word) for word in words]
        for key, words in (("first", FIRST), ("second", SECOND), ("suffix", SUFFIX))
    }
    with transaction.atomic(), connection.cursor() as cursor:
        Supplier.objects.filter(buyer=buyer).delete()
        Company.objects.exclude(pk=buyer.pk).delete()
        SupplierGroup.objects.filter(buyer=buyer).delete()
        SupplierGroup.objects.bulk_create(
            SupplierGroup(buyer=buyer, name=f"Grupo {n}") for n in range(1, 21)
        )
        # Tax IDs: 10 digits from 1000000000 up (the list never checks digits).
        cursor.execute(
            """
            INSERT INTO companies_company (id, country, tax_id, legal_name, registered_at,
                                           created_at)
            SELECT gen_random_uuid(), 'CO', (1000000000 + n)::text, 'Proveedor ' || n,
                   CASE WHEN n %% 5 = 0 THEN now() END, now()
            FROM generate_series(1, %s) AS n
            """,
            [count],
        )
        cursor.execute(
            f"""
            INSERT INTO network_supplier (id, buyer_id, company_id, country, tax_id, name,
                description, address, city, province, phone, fax, email, other_emails, source,
                document_count, suggested_email, name_folded, city_folded, created_at,
                updated_at)
            SELECT gen_random_uuid(), %s, c.id, 'CO', c.tax_id,
                   w.a || ' ' || w.b || ' ' || w.c || ' ' || n, '', 'Calle ' || n, 'Bogotá',
                   'Cundinamarca', '', '', 'facturas' || n || '@proveedor.example', '[]',
                   'import', 0, '', w.fa || ' ' || w.fb || ' ' || w.fc || ' ' || n, 'bogota',
                   now() - (n || ' seconds')::interval, now()
            FROM (SELECT id, tax_id, (tax_id::bigint - 1000000000) AS n
                  FROM companies_company WHERE id <> %s) AS c,
            LATERAL (SELECT
                ({sql_array(FIRST)})[1 + c.n %% {len(FIRST)}] AS a,
                ({sql_array(SECOND)})[1 + (c.n / 7) %% {len(SECOND)}] AS b,
                ({sql_array(SUFFIX)})[1 + (c.n / 3) %% {len(SUFFIX)}] AS c,
                ({sql_array(folded["first"])})[1 + c.n %% {len(FIRST)}] AS fa,
                ({sql_array(folded["second"])})[1 + (c.n / 7) %% {len(SECOND)}] AS fb,
                ({sql_array(folded["suffix"])})[1 + (c.n / 3) %% {len(SUFFIX)}] AS fc) AS w
            """,
            [buyer.pk, buyer.pk],
        )
        # Each supplier in one group.
        cursor.execute(
            """
            INSERT INTO network_supplier_groups (supplier_id, suppliergroup_id)
            SELECT s.id, g.ids[1 + (s.tax_id::bigint %% 20)]
            FROM network_supplier s,
                 (SELECT array_agg(id ORDER BY name) AS ids FROM network_suppliergroup
                  WHERE buyer_id = %s) AS g
            WHERE s.buyer_id = %s
            """,
            [buyer.pk, buyer.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {count:,} suppliers in {time.perf_counter() - started:.0f} s", flush=True)
    return buyer, user


def cases(buyer: Any, count: int) -> dict[str, dict[str, str]]:
    from suppliernet.network.models import SupplierGroup

    group = SupplierGroup.objects.filter(buyer=buyer).order_by("name").first()
    return {
        "first page": {},
        "deep page": {"page": str(count // 50 // 2)},
        "tax ID prefix": {"tax_id": "100012"},
        "name contains": {"q": "pacifico"},  # stored "Pacífico"
        "status registered": {"status": "registered"},
        "group": {"group": str(group.pk)},
    }


def time_requests(client: Any, params: dict[str, str], requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/network/suppliers/", params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def explain(client: Any, params: dict[str, str]) -> list[str]:
    """EXPLAIN ANALYZE of the slowest query the page ran for these filters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/network/suppliers/", params)
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = [row[0] for row in cursor.fetchall()]
    return [f"-- {float(slowest['time']) * 1000:.0f} ms: {slowest['sql'][:300]}", *plan]


def run(*, suppliers: int = 1_000_000, requests: int = 30, fresh: bool = False) -> dict[str, Any]:
    create_database(fresh=fresh)
    configure()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    buyer, user = generate(suppliers)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results: dict[str, Any] = {"suppliers": suppliers, "requests": requests, "cases": {}}
    for name, params in cases(buyer, suppliers).items():
        time_requests(client, params, 2)  # warm the cache for this query
        times = sorted(time_requests(client, params, requests))
        results["cases"][name] = {
            "params": params,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        }
    slowest = max(results["cases"], key=lambda name: results["cases"][name]["p95_ms"])
    results["slowest"] = slowest
    results["explain"] = explain(client, results["cases"][slowest]["params"])
    return results


def print_table(results: dict[str, Any]) -> None:
    print(f"\nSuppliers list, {results['suppliers']:,} suppliers, {results['requests']} requests")
    print(f"{'case':<20}{'p50 ms':>10}{'p95 ms':>10}   target p95 < 100 ms")
    for name, figures in results["cases"].items():
        print(f"{name:<20}{figures['p50_ms']:>10}{figures['p95_ms']:>10}")
    print(f"\nEXPLAIN of the slowest ({results['slowest']}):")
    print("\n".join(results["explain"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()
    results = run(suppliers=options.suppliers, requests=options.requests, fresh=options.fresh)
    print_table(results)
    print(json.dumps({key: value for key, value in results.items() if key != "explain"}))


if __name__ == "__main__":
    main()
