"""Suppliers list benchmark: one buyer with 1,000,000 suppliers on PostgreSQL.

    .venv/bin/python bench/suppliers_list.py [--suppliers 1000000] [--requests 30] [--fresh]
                                             [--load-seconds 20] [--connections 4]

Generates the buyer's suppliers (and their companies, 20 % registered, 20 groups, one in
seven with a received document) with `INSERT … SELECT generate_series` in a database of its
own (BENCH_LIST_POSTGRES_URL, default sn_bench_list, with the count appended when it is not a
million; kept between runs, since generating takes minutes; --fresh starts over), then:

- times the list page through Django's test client, logged in as the buyer's admin: server
  time p50/p95 of the first, a deep (by its keyset cursor, half-way) and the last page, a tax
  ID prefix, a name contains (accent-insensitive, common and rare), each status, a group, and
  the other sorts; prints EXPLAIN (ANALYZE, BUFFERS) of the slowest case's slowest query;
- a load run: gunicorn with 2 workers (deploy/gunicorn.conf.py, DEBUG=0) on 127.0.0.1 and
  `wrk` (Debian's; installed with apt-get on first use) for --load-seconds over a mix of the
  list's URLs with a logged-in session cookie: requests/s and latency percentiles.

`run()` returns the figures as a dict; `print_table()` prints them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get(
    "BENCH_LIST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sn_bench_list"
)
URL = BASE_URL
ADMIN = "bench-list@buyer.example"
# The same key in this process and in gunicorn, so the session cookie made here is valid there.
SECRET_KEY = "bench-suppliers-list-not-a-secret"
LIST = "/network/suppliers/"
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


def database_url(count: int) -> str:
    """One database per size, so a quick run at 100,000 keeps the million for the next."""
    if count == 1_000_000:
        return BASE_URL
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"{parts.path}_{count}"))


def configure() -> None:
    os.environ.update(DATABASE_URL=URL, DEBUG="1", LOG_LEVEL="WARNING", SECRET_KEY=SECRET_KEY)
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

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if time.perf_counter() - started > 5:
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
    buyer, _ = Company.objects.get_or_create(
        country="CO", tax_id="9001234568", defaults={"legal_name": "Comprador Masivo S.A.S."}
    )
    user, _ = User.objects.get_or_create(email=ADMIN)
    Membership.objects.get_or_create(company=buyer, user=user, defaults={"role": "admin"})
    if Supplier.objects.filter(buyer=buyer).count() == count:
        add_documents(buyer)
        vacuum()
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
    add_documents(buyer)
    vacuum()
    print(f"generated {count:,} suppliers in {time.perf_counter() - started:.0f} s", flush=True)
    return buyer, user


def add_documents(buyer: Any) -> None:
    """One supplier in seven has received documents (dates over a year), so "latest document
    first" has dates to sort and the rest last. Done once; databases made before it get it
    on their next run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM network_supplier WHERE buyer_id = %s"
            " AND last_document_date IS NOT NULL LIMIT 1",
            [buyer.pk],
        )
        if cursor.fetchone():
            return
        cursor.execute(
            """
            UPDATE network_supplier
            SET last_document_date = date '2026-01-01' + (tax_id::bigint %% 365)::int,
                document_count = 1 + tax_id::bigint %% 9
            WHERE buyer_id = %s AND tax_id::bigint %% 7 = 0
            """,
            [buyer.pk],
        )


def vacuum() -> None:
    """What autovacuum does for a table at rest: statistics and the visibility map, which
    index-only scans (the bounded counts) rely on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) network_supplier, network_supplier_groups, companies_company,"
            " network_suppliergroup"
        )


def cases(buyer: Any, count: int) -> dict[str, dict[str, str]]:
    """The URL parameters of each case. Deep pages are reached as a user reaches them, by the
    cursor of the row half-way down (found once here with OFFSET, which the page never uses)."""
    from suppliernet.network.listing import SORTS
    from suppliernet.network.models import Supplier, SupplierGroup
    from suppliernet.network.paging import cursor_of

    group = SupplierGroup.objects.filter(buyer=buyer).order_by("name").first()
    suppliers = Supplier.objects.filter(buyer=buyer)

    def half_way(sort: str) -> str:
        row = suppliers.order_by(*SORTS[sort].order_by())[count // 2]
        return cursor_of(sort, row, SORTS[sort])

    return {
        "first page": {},
        "deep page": {"after": half_way("name")},
        "last page": {"page": "last"},
        "tax ID prefix": {"tax_id": "100012"},
        "name contains": {"q": "pacifico"},  # stored "Pacífico": one in 15
        "name contains, rare": {"q": "12345"},  # a few dozen
        "status registered": {"status": "registered"},
        "status unregistered": {"status": "unregistered"},
        "group": {"group": str(group.pk)},
        "group + name": {"group": str(group.pk), "q": "pacifico"},
        # This group's members are all registered: none left, the whole group read to say so.
        "group, unregistered": {"group": str(group.pk), "status": "unregistered"},
        "group, last page": {"group": str(group.pk), "page": "last"},
        "group, newest first": {"group": str(group.pk), "sort": "-created"},
        "sort tax ID": {"sort": "tax_id"},
        "sort city, deep": {"sort": "city", "after": half_way("city")},
        "newest first": {"sort": "-created"},
        "latest document first": {"sort": "-last_document"},
    }


def fetch(url: str, cookie: str) -> tuple[float, str]:
    """One GET of a list page: the wall time in ms (loopback, a new connection each time:
    gunicorn's sync workers close it) and the page."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        body = answer.read().decode()
        assert answer.status == 200 and 'data-testid="counts"' in body, answer.status
    return (time.perf_counter() - started) * 1000, body


def page_facts(html: str) -> tuple[int, str]:
    """Rows shown and the counts line of a list page."""
    counts = re.search(r'data-testid="counts">(.*?)</p>', html, re.S).group(1)
    return html.count('<td class="tax-id">'), " ".join(re.sub(r"<[^>]+>", "", counts).split())


def explain(client: Any, params: dict[str, str]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query the page ran for these filters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(LIST, params)
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = [row[0] for row in cursor.fetchall()]
    return [f"-- {float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:400]}", *plan]


def sql_time(client: Any, params: dict[str, str], rounds: int = 5) -> tuple[float, int]:
    """Median time of the page's queries (in this process, through the test client) and how
    many: the database's share of a request, steadier than the HTTP time on a shared machine."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    totals = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            client.get(LIST, params)
        totals.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    return round(statistics.median(totals), 1), len(captured.captured_queries)


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return round(ordered[max(0, min(len(ordered) - 1, round(len(ordered) * p) - 1))], 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    if path := shutil.which("wrk"):
        return path
    print("wrk is missing: installing Debian's package (apt-get install -y wrk)", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; n = 0 end
function request()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n], {["Cookie"] = "%(cookie)s"})
end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("BAD %%d\\n", total))
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("P%%d %%.1f\\n", p, latency:percentile(p) / 1000))
  end
end
"""


@contextlib.contextmanager
def gunicorn() -> Iterator[str]:
    """gunicorn (2 sync workers, DEBUG=0, deploy/gunicorn.conf.py) on 127.0.0.1; yields its
    base URL."""
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="bench-list-"))
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "suppliernet.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # up to 30 s to start
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer; see {work / 'gunicorn.log'}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def load_run(
    base: str, paths: list[str], cookie: str, *, seconds: int, connections: int
) -> dict[str, Any]:
    """wrk for `seconds` over `paths` in turn, counting answers other than 200."""
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "mix.lua"
        script.write_text(
            WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "cookie": cookie}
        )
        load_before = os.getloadavg()
        command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        output = subprocess.run(
            [*command, "-s", str(script), base + "/"],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
        load_after = os.getloadavg()
    return {
        "seconds": seconds,
        "connections": connections,
        "urls": len(paths),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_200": int(re.search(r"BAD (\d+)", output).group(1)),
        "latency_ms": {
            f"p{p}": float(re.search(rf"P{p} ([\d.]+)", output).group(1)) for p in (50, 90, 95, 99)
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }


def run(
    *,
    suppliers: int = 1_000_000,
    requests: int = 30,
    fresh: bool = False,
    load_seconds: int = 20,
    connections: int = 4,
) -> dict[str, Any]:
    global URL
    URL = database_url(suppliers)
    create_database(fresh=fresh)
    configure()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    buyer, user = generate(suppliers)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    all_cases = cases(buyer, suppliers)
    results: dict[str, Any] = {
        "suppliers": suppliers,
        "requests": requests,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cases": {},
    }
    with gunicorn() as base:
        for name, params in all_cases.items():
            url = base + LIST + ("?" + urlencode(params) if params else "")
            for _ in range(2):  # this query's pages in the cache, on both workers
                fetch(url, cookie)
            times = []
            for _ in range(requests):
                elapsed, html = fetch(url, cookie)
                times.append(elapsed)
            rows, counts = page_facts(html)
            sql_ms, queries = sql_time(client, params)
            results["cases"][name] = {
                "params": params,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": percentile(times, 0.95),
                "sql_ms": sql_ms,
                "queries": queries,
                "rows_shown": rows,
                "counts": counts,
            }
        results["load_average_after_cases"] = [round(x, 2) for x in os.getloadavg()]
        if load_seconds:
            mix = ["first page", "deep page", "tax ID prefix", "name contains"]
            mix += ["status registered", "group", "newest first", "last page"]
            # A case taking seconds holds a worker and hides what the others can do: a second
            # run leaves such cases out (and says which).
            fast = [name for name in mix if results["cases"][name]["p95_ms"] < 1000]
            runs = {"load": mix} if fast == mix else {"load": mix, "load_fast_cases": fast}
            for key, names in runs.items():
                paths = [
                    LIST + ("?" + urlencode(all_cases[n]) if all_cases[n] else "") for n in names
                ]
                results[key] = load_run(
                    base, paths, cookie, seconds=load_seconds, connections=connections
                )
                results[key]["cases"] = names
    slowest = max(results["cases"], key=lambda name: results["cases"][name]["p95_ms"])
    results["slowest"] = slowest
    results["explain"] = explain(client, results["cases"][slowest]["params"])
    return results


def print_table(results: dict[str, Any]) -> None:
    print(
        f"\nSuppliers list, {results['suppliers']:,} suppliers: HTTP time of one request at a"
        f" time against gunicorn (2 workers, DEBUG=0), {results['requests']} requests per case;"
        f" load average {results['load_average']} → {results['load_average_after_cases']}"
    )
    print("SQL ms: the median sum of the page's query times (queries), measured in-process")
    print(
        f"{'case':<24}{'p50 ms':>9}{'p95 ms':>9}{'SQL ms':>9}{'rows':>6}"
        "   counts line (target p95 < 100 ms)"
    )
    for name, figures in results["cases"].items():
        over = "" if figures["p95_ms"] < 100 else "   ← over"
        print(
            f"{name:<24}{figures['p50_ms']:>9}{figures['p95_ms']:>9}"
            f"{figures['sql_ms']:>6} ({figures['queries']}){figures['rows_shown']:>4}"
            f"   {figures['counts']}{over}"
        )
    for key in ("load", "load_fast_cases"):
        if not (load := results.get(key)):
            continue
        latency = load["latency_ms"]
        print(
            f"\nLoad run: wrk, {load['connections']} connections, {load['seconds']} s over"
            f" {load['urls']} list URLs in turn ({', '.join(load['cases'])}):"
            f" {load['requests_per_s']:.1f} requests/s"
            f" ({load['requests']:,} requests, {load['non_200']} not 200); latency"
            f" p50 {latency['p50']} ms, p90 {latency['p90']} ms, p95 {latency['p95']} ms,"
            f" p99 {latency['p99']} ms; load average {load['load_average_before']} →"
            f" {load['load_average_after']}"
        )
    print(
        f"\nEXPLAIN (ANALYZE, BUFFERS) of the slowest case's slowest query ({results['slowest']}):"
    )
    print("\n".join(results["explain"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--load-seconds", type=int, default=20, help="0: no load run")
    parser.add_argument("--connections", type=int, default=4)
    options = parser.parse_args()
    results = run(
        suppliers=options.suppliers,
        requests=options.requests,
        fresh=options.fresh,
        load_seconds=options.load_seconds,
        connections=options.connections,
    )
    print_table(results)
    print(json.dumps({key: value for key, value in results.items() if key != "explain"}))


if __name__ == "__main__":
    main()
