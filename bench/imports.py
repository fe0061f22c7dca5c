"""Bulk Add Suppliers benchmark: the app's import against a raw upsert and django-import-export.

    .venv/bin/python bench/imports.py [--rows 100000] [--database sqlite|postgres|both]
        [--rounds 3] [--import-export-rows 10000] [--million]

Generates N rows of the supplier template (valid Colombian NITs, Spanish text, 30 % Notify=1,
some with two e-mails and groups), then imports them into one buyer's network (create) and
imports a second file with the same tax IDs and other descriptions and cities (update), each
way in a throwaway database (SQLite in a temporary directory, or PostgreSQL databases named
sn_bench_imports*, dropped afterwards; never var/):

- app: the import's own functions, as the tasks run them: `validate_file` (reading, rules,
  the preview stored per row) then `process_file` (companies, suppliers, groups, Notify=1
  invitations and their outbox rows);
- floor: a plain `executemany` upsert of the same rows (companies, then suppliers) through
  the database driver, without any checks;
- import_export: django-import-export 4 importing the same file into the same Supplier table
  (installed into the virtualenv on first use; a comparison only, not an app dependency).
  It is slow and memory-hungry, so it imports the first --import-export-rows rows.

Each measurement runs in its own process: rows/s and that process's peak RSS. Medians of the
rounds; ratios app/floor and app/import_export. `run()` returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sn_bench_imports"
)
BUYER = ("CO", "9001234568")
ADMIN = "bench@buyer.example"
METHODS = ("app", "floor", "import_export")


def run(
    *,
    rows: int = 100_000,
    database: str = "both",
    rounds: int = 3,
    import_export_rows: int = 10_000,
    million: bool = False,
) -> dict[str, Any]:
    """The figures as a dict, measured in a child process."""
    command = [sys.executable, str(Path(__file__)), "--json", f"--rows={rows}"]
    command += [f"--database={database}", f"--rounds={rounds}"]
    command += [f"--import-export-rows={import_export_rows}"] + (["--million"] if million else [])
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


# The file ----------------------------------------------------------------------------------

FIRST = ("Suministros", "Distribuidora", "Comercializadora", "Transportes", "Papelería")
FIRST += ("Ferretería", "Servicios Integrales", "Inversiones", "Laboratorios", "Confecciones")
SECOND = ("Andina", "del Norte", "Ñandú", "La Esperanza", "El Dorado", "San José", "Pacífico")
SECOND += ("Caribe", "Montaña Azul", "Los Álamos", "Santa Fe", "Oriente")
LEGAL = ("S.A.S.", "Ltda.", "S.A.", "& Cía. S. en C.")
CITIES = (("Bogotá", "Cundinamarca"), ("Medellín", "Antioquia"), ("Cali", "Valle del Cauca"))
CITIES += (
    ("Barranquilla", "Atlántico"),
    ("Cartagena", "Bolívar"),
    ("Cúcuta", "Norte de Santander"),
)
CITIES += (("Bucaramanga", "Santander"), ("Pereira", "Risaralda"), ("Ibagué", "Tolima"))
WHAT = ("Papelería y útiles de oficina", "Transporte de carga", "Mantenimiento de equipos")
WHAT += ("Aseo y cafetería", "Software y licencias", "Dotación y uniformes", "Repuestos")
GROUPS = ("Nacionales", "Críticos", "Logística", "Tecnología", "Papelería")
HEADER = ("Identificación tributaria*", "Nombre*", "Descripción", "Dirección", "Ciudad")
HEADER += ("Provincia", "Teléfono", "Fax", "Correo electrónico*", "Grupos", "Notificar*")


def nit(n: int) -> str:
    from stdnum.co import nit as co_nit

    base = str(800_000_000 + n)
    return base + co_nit.calc_check_digit(base)


def template_rows(count: int, *, update: bool) -> Iterator[list[str]]:
    """The same suppliers each time; `update` changes their description, city and phone."""
    pick = random.Random(7)
    for n in range(count):
        number = nit(n)
        tax_id = f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9]}" if n % 2 else number
        name = f"{pick.choice(FIRST)} {pick.choice(SECOND)} {n} {pick.choice(LEGAL)}"
        city, province = pick.choice(CITIES)
        slug = f"proveedor{n}"
        emails = f"facturacion@{slug}.com.co"
        if pick.random() < 0.2:
            emails += f";compras@{slug}.com.co"
        groups = ";".join(pick.sample(GROUPS, pick.randint(0, 2)))
        notify = "1" if pick.random() < 0.3 else "0"
        what = pick.choice(WHAT)
        if update:
            city, province = CITIES[(CITIES.index((city, province)) + 1) % len(CITIES)]
            what += " y servicios"
        phone = f"60{n % 10} {555 + update} {n % 10_000:04d}"
        address = f"Calle {n % 200} # {n % 90}-{n % 70}, Oficina {n % 900}"
        yield [tax_id, name, what, address, city, province, phone, "", emails, groups, notify]


def write_file(path: Path, count: int, *, update: bool) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(template_rows(count, update=update))


# Databases ---------------------------------------------------------------------------------


@contextmanager
def databases(kind: str, scratch: Path) -> Iterator[Any]:
    """A migrated template with the buyer, and a function giving a fresh copy of it."""
    if kind == "sqlite":
        template = scratch / "template.sqlite3"
        prepare(f"sqlite:///{template}")

        def fresh(name: str) -> str:
            copy = scratch / f"{name}.sqlite3"
            shutil.copyfile(template, copy)
            return f"sqlite:///{copy}"

        yield fresh
        return
    import psycopg

    parts = urlsplit(POSTGRES)
    base = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    made: list[str] = []

    def create(name: str, template: str | None = None) -> str:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            )
        made.append(name)
        return urlunsplit(parts._replace(path=f"/{name}"))

    try:
        prepare(create(f"{base}_template"))
        yield lambda name: create(f"{base}_{name}", template=f"{base}_template")
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str) -> None:
    child("prepare", url)


def child(method: str, url: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__)), "--child", method, "--db", url, *args]
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if output.returncode:
        raise SystemExit(f"{method} failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def configure(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="0",  # as in production
        SECRET_KEY="bench-only-" + "x" * 50,
        VAR_DIR=os.environ["BENCH_SCRATCH"],  # uploaded copies go to the parent's scratch
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="suppliernet.settings",
        IMPORT_MAX_ROWS="2000000",
        IMPORT_MAX_BYTES=str(1 << 30),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The measurements (each in its own process) ------------------------------------------------


def measure_prepare() -> dict[str, Any]:
    from django.core.management import call_command

    from suppliernet.companies.models import Company, Membership, User

    call_command("migrate", verbosity=0)
    buyer = Company.objects.create(country=BUYER[0], tax_id=BUYER[1], legal_name="Comprador S.A.S.")
    user = User.objects.create_user(ADMIN, "x")
    Membership.objects.create(user=user, company=buyer, role="admin")
    return {}


def measure_app(path: Path) -> dict[str, Any]:
    from django.core.files import File

    from suppliernet.companies.models import Company, User
    from suppliernet.imports.processing import process_file, start_processing
    from suppliernet.imports.uploads import start_import
    from suppliernet.imports.validation import validate_file

    buyer = Company.objects.get(country=BUYER[0], tax_id=BUYER[1])
    user = User.objects.get(email=ADMIN)
    started = time.perf_counter()
    with path.open("rb") as file:
        supplier_import = start_import(
            buyer=buyer,
            file=File(file, name=path.name),
            file_name=path.name,
            by=user,
            enqueue=False,
        )
    supplier_import = validate_file(supplier_import=supplier_import)
    checked = time.perf_counter()
    start_processing(supplier_import=supplier_import, by=user, valid_only=False, enqueue=False)
    supplier_import = process_file(supplier_import=supplier_import)
    done = time.perf_counter()
    assert supplier_import.rows_with_errors == 0, supplier_import.message
    return {
        "seconds": done - started,
        "validate_seconds": checked - started,
        "process_seconds": done - checked,
        "created": supplier_import.created,
        "updated": supplier_import.updated,
        "invited": supplier_import.invited,
    }


def measure_floor(path: Path) -> dict[str, Any]:
    """The same end state as the app, written as plainly as the driver allows: per chunk of
    IMPORT_CHUNK_ROWS, one transaction with an executemany each for the companies, the
    supplier upsert, the group links, and for Notify=1 rows not invited yet their outgoing
    e-mails and invitations (a keyed code hash each), plus the few reads that need (company
    and supplier ids, open invitations). No checks beyond digits of the tax ID, no preview
    rows, no per-row outcome: what any importer of this file into these tables must write."""
    import hashlib
    import hmac
    import secrets
    import uuid
    from datetime import timedelta

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from suppliernet.companies.models import Company
    from suppliernet.imports.processing import _upsert_clause
    from suppliernet.invitations.models import Invitation
    from suppliernet.network.models import Supplier
    from suppliernet.outbox.models import OutgoingMail

    connection.ensure_connection()
    raw = connection.connection
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    key = hashlib.sha256(b"floor").digest()
    buyer = Company.objects.get(country=BUYER[0], tax_id=BUYER[1])
    buyer_id = buyer.id.hex if sqlite else buyer.id
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    expires = connection.ops.adapt_datetimefield_value(timezone.now() + timedelta(days=30))
    new_id = (lambda: uuid.uuid4().hex) if sqlite else uuid.uuid4
    if sqlite:
        to_json = json.dumps
    else:
        from psycopg.types.json import Jsonb as to_json

    def insert_sql(model: Any, names: list[str], suffix: str = "") -> tuple[str, list[Any]]:
        """INSERT of `names` and every other column's default (database defaults left out)."""
        others = [
            f
            for f in model._meta.concrete_fields
            if f.column not in names and not f.has_db_default()
        ]
        columns = [connection.ops.quote_name(c) for c in [*names, *(f.column for f in others)]]
        defaults = [f.get_db_prep_save(f.get_default(), connection) for f in others]
        statement = "INSERT INTO {} ({}) VALUES ({}) {}".format(
            model._meta.db_table, ", ".join(columns), ", ".join([mark] * len(columns)), suffix
        )
        return statement, defaults

    company_sql = (
        "INSERT INTO companies_company (id, country, tax_id, legal_name, created_at) "
        f"VALUES ({mark}, 'CO', {mark}, {mark}, {mark}) ON CONFLICT (country, tax_id) DO NOTHING"
    )
    supplier_names = ["id", "buyer_id", "company_id", "country", "tax_id", "name"]
    supplier_names += ["description", "address", "city", "province", "phone", "fax", "email"]
    supplier_names += ["other_emails", "source", "name_folded", "city_folded"]
    supplier_names += ["created_at", "updated_at"]
    supplier_sql, supplier_rest = insert_sql(Supplier, supplier_names, _upsert_clause())
    mail_names = ["id", "company_id", "purpose", "confidential", "to", "language", "template"]
    mail_names += ["context", "message_id", "next_attempt_at", "created_at"]
    mail_sql, mail_rest = insert_sql(OutgoingMail, mail_names)
    invitation_names = ["id", "buyer_id", "supplier_id", "email", "language", "code_hash"]
    invitation_names += ["code_hint", "created_at", "expires_at", "channel", "mail_id"]
    invitation_sql, invitation_rest = insert_sql(Invitation, invitation_names)
    links = Supplier.groups.through._meta.db_table
    group_ids: dict[str, Any] = {}

    def marks(count: int) -> str:
        return ", ".join([mark] * count)

    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        count = 0
        size = settings.IMPORT_CHUNK_ROWS
        while chunk := [cells for cells in (next(reader, None) for _ in range(size)) if cells]:
            count += len(chunk)
            tax_ids = ["".join(c for c in cells[0] if c.isdigit()) for cells in chunk]
            cursor = raw.cursor()
            cursor.execute("BEGIN")  # Django leaves the driver in autocommit mode
            cursor.executemany(
                company_sql,
                [(new_id(), tax, cells[1], now) for tax, cells in zip(tax_ids, chunk, strict=True)],
            )
            cursor.execute(
                "SELECT tax_id, id FROM companies_company WHERE country = 'CO' AND tax_id IN "
                f"({marks(len(tax_ids))})",
                tax_ids,
            )
            companies = dict(cursor.fetchall())
            values = []
            for tax, cells in zip(tax_ids, chunk, strict=True):
                emails = cells[8].split(";")
                values.append(
                    [
                        new_id(),
                        buyer_id,
                        companies[tax],
                        "CO",
                        tax,
                        cells[1],
                        *cells[2:8],
                        emails[0],
                        to_json(emails[1:]),
                        "import",
                        cells[1].lower(),
                        cells[4].lower(),
                        now,
                        now,
                        *supplier_rest,
                    ]
                )
            cursor.executemany(supplier_sql, values)
            cursor.execute(
                f"SELECT company_id, id FROM network_supplier WHERE buyer_id = {mark} "
                f"AND company_id IN ({marks(len(companies))})",
                [buyer_id, *companies.values()],
            )
            suppliers = dict(cursor.fetchall())
            ids = [suppliers[companies[tax]] for tax in tax_ids]
            names = {name for cells in chunk if cells[9] for name in cells[9].split(";")}
            if missing := sorted(names - group_ids.keys()):
                cursor.executemany(
                    "INSERT INTO network_suppliergroup (buyer_id, name) VALUES "
                    f"({mark}, {mark}) ON CONFLICT DO NOTHING",
                    [(buyer_id, name) for name in missing],
                )
                cursor.execute(
                    f"SELECT name, id FROM network_suppliergroup WHERE buyer_id = {mark}",
                    [buyer_id],
                )
                group_ids.update(cursor.fetchall())
            cursor.executemany(
                f"INSERT INTO {links} (supplier_id, suppliergroup_id) VALUES ({mark}, {mark}) "
                "ON CONFLICT DO NOTHING",
                [
                    (supplier_id, group_ids[name])
                    for supplier_id, cells in zip(ids, chunk, strict=True)
                    if cells[9]
                    for name in cells[9].split(";")
                ],
            )
            notify = [
                (supplier_id, cells)
                for supplier_id, cells in zip(ids, chunk, strict=True)
                if cells[10] == "1"
            ]
            if notify:
                cursor.execute(
                    "SELECT supplier_id FROM invitations_invitation WHERE status IN "
                    f"('queued', 'sent') AND supplier_id IN ({marks(len(notify))})",
                    [supplier_id for supplier_id, _cells in notify],
                )
                invited = {supplier_id for (supplier_id,) in cursor.fetchall()}
                notify = [(s, cells) for s, cells in notify if s not in invited]
            mails, invitations = [], []
            for supplier_id, cells in notify:
                code = secrets.token_hex(6).upper()
                mail_id = new_id()
                address = cells[8].split(";")[0]
                context = {"buyer": "Comprador S.A.S.", "supplier": cells[1], "code": code}
                mails.append(
                    [
                        mail_id,
                        buyer_id,
                        "invitation",
                        True,
                        address,
                        "es",
                        "invitations/email/invitation",
                        to_json(context),
                        f"<{uuid.uuid4().hex}@suppliernet.local>",
                        now,
                        now,
                        *mail_rest,
                    ]
                )
                invitations.append(
                    [
                        new_id(),
                        buyer_id,
                        supplier_id,
                        address,
                        "es",
                        hmac.digest(key, code.encode(), "sha256").hex(),
                        code[-4:],
                        now,
                        expires,
                        "import",
                        mail_id,
                        *invitation_rest,
                    ]
                )
            if mails:
                cursor.executemany(mail_sql, mails)
                cursor.executemany(invitation_sql, invitations)
            cursor.execute("COMMIT")
    seconds = time.perf_counter() - started
    # What it wrote, to compare with the app's counts.
    return {
        "seconds": seconds,
        "rows": count,
        "suppliers": Supplier.objects.filter(buyer=buyer).count(),
        "invitations": Invitation.objects.filter(buyer=buyer).count(),
    }


def measure_import_export(path: Path, rows: int) -> dict[str, Any]:
    import tablib
    from import_export import fields, resources

    from suppliernet.companies.models import Company
    from suppliernet.companies.taxids import normalize_tax_id
    from suppliernet.network.forms import split_emails
    from suppliernet.network.models import Supplier

    buyer = Company.objects.get(country=BUYER[0], tax_id=BUYER[1])
    names = ("tax_id", "name", "description", "address", "city", "province", "phone", "fax")

    class SupplierResource(resources.ModelResource):
        tax_id = fields.Field(attribute="tax_id", column_name=HEADER[0])
        name = fields.Field(attribute="name", column_name=HEADER[1])
        description = fields.Field(attribute="description", column_name=HEADER[2])
        address = fields.Field(attribute="address", column_name=HEADER[3])
        city = fields.Field(attribute="city", column_name=HEADER[4])
        province = fields.Field(attribute="province", column_name=HEADER[5])
        phone = fields.Field(attribute="phone", column_name=HEADER[6])
        fax = fields.Field(attribute="fax", column_name=HEADER[7])
        email = fields.Field(attribute="email", column_name=HEADER[8])

        class Meta:
            model = Supplier
            fields = (*names, "email")
            import_id_fields = ("tax_id",)

        def get_queryset(self):
            return Supplier.objects.filter(buyer=buyer)

        def before_import_row(self, row, **kwargs):
            row[HEADER[0]] = normalize_tax_id("CO", row[HEADER[0]]).number
            row[HEADER[8]] = split_emails(row[HEADER[8]])[0]

        def before_save_instance(self, instance, row, **kwargs):
            instance.buyer = buyer
            instance.country = "CO"
            instance.source = "import"
            if instance.company_id is None:
                instance.company, _created = Company.objects.get_or_create(
                    country="CO", tax_id=instance.tax_id, defaults={"legal_name": instance.name}
                )

    with path.open(encoding="utf-8", newline="") as file:
        lines = [next(file) for _ in range(rows + 1)]
    started = time.perf_counter()
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    result = SupplierResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    return {"seconds": seconds, "rows": rows}


def measure(method: str, url: str, path: Path | None, rows: int) -> dict[str, Any]:
    configure(url)
    if method == "prepare":
        result = measure_prepare()
    elif method == "app":
        result = measure_app(path)
    elif method == "floor":
        result = measure_floor(path)
    else:
        result = measure_import_export(path, rows)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


# The run -----------------------------------------------------------------------------------


def ensure_import_export() -> None:
    try:
        import import_export  # noqa: F401
    except ImportError:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "django-import-export>=4,<5"],
            check=True,
        )


def bench_database(
    kind: str, *, rows: int, rounds: int, ie_rows: int, million: bool, say: Any
) -> dict[str, Any]:
    samples: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as scratch_dir:
        scratch = Path(scratch_dir)
        os.environ["BENCH_SCRATCH"] = scratch_dir  # inherited by every measuring process
        files = {phase: scratch / f"{phase}.csv" for phase in ("create", "update")}
        for phase, path in files.items():
            write_file(path, rows, update=phase == "update")
        with databases(kind, scratch) as fresh:
            for round_number in range(1, rounds + 1):
                for method in METHODS:
                    url = fresh(f"{method}_{round_number}")
                    for phase, path in files.items():
                        count = ie_rows if method == "import_export" else rows
                        result = child(method, url, f"--file={path}", f"--rows={count}")
                        result["rows_per_s"] = count / result["seconds"]
                        samples.setdefault(f"{method}_{phase}", []).append(result)
                say(f"  {kind}: round {round_number}/{rounds} done")
            if million:
                big = scratch / "million.csv"
                write_file(big, 1_000_000, update=False)
                result = child("app", fresh("million"), f"--file={big}", "--rows=1000000")
                result["rows_per_s"] = 1_000_000 / result["seconds"]
                samples["app_create_1000000"] = [result]
    figures: dict[str, Any] = {"rows": rows, "import_export_rows": ie_rows, "rounds": rounds}
    for key, results in samples.items():
        figures[key] = {
            "rows_per_s": round(statistics.median(r["rows_per_s"] for r in results)),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            **(
                {
                    "validate_s": round(
                        statistics.median(r["validate_seconds"] for r in results), 2
                    ),
                    "process_s": round(statistics.median(r["process_seconds"] for r in results), 2),
                }
                if key.startswith("app")
                else {}
            ),
        }
    for phase in ("create", "update"):
        app = figures[f"app_{phase}"]["rows_per_s"]
        figures[f"{phase}_app_vs_floor"] = round(app / figures[f"floor_{phase}"]["rows_per_s"], 2)
        figures[f"{phase}_app_vs_import_export"] = round(
            app / figures[f"import_export_{phase}"]["rows_per_s"], 1
        )
    return figures


def print_table(results: dict[str, dict[str, Any]]) -> None:
    for kind, figures in results.items():
        print(
            f"\n{kind}: {figures['rows']:,} rows (django-import-export: "
            f"{figures['import_export_rows']:,}), median of {figures['rounds']} round(s)"
        )
        print(f"  {'path':<28}{'create rows/s':>14}{'update rows/s':>15}{'peak RSS MB':>13}")
        for method in METHODS:
            create, update = figures[f"{method}_create"], figures[f"{method}_update"]
            rss = max(create["peak_rss_mb"], update["peak_rss_mb"])
            print(f"  {method:<28}{create['rows_per_s']:>14,}{update['rows_per_s']:>15,}{rss:>13}")
        for phase in ("create", "update"):
            app = figures[f"app_{phase}"]
            print(
                f"  app {phase}: validate {app['validate_s']} s + process {app['process_s']} s; "
                f"{figures[f'{phase}_app_vs_floor']}× the floor's rows/s, "
                f"{figures[f'{phase}_app_vs_import_export']}× django-import-export's"
            )
        if "app_create_1000000" in figures:
            big = figures["app_create_1000000"]
            print(
                f"  app, 1,000,000 rows (create): {big['rows_per_s']:,} rows/s, "
                f"peak RSS {big['peak_rss_mb']} MB"
            )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--import-export-rows", type=int, default=10_000)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 rows, once")
    parser.add_argument("--json", action="store_true", help="print only the result as JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.db, args.file, args.rows)))
        return {}
    ensure_import_export()
    say = (lambda _line: None) if args.json else print
    kinds = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    say(f"Importing {args.rows:,} supplier rows, create then update, {args.rounds} round(s):")
    results = {
        kind: bench_database(
            kind,
            rows=args.rows,
            rounds=args.rounds,
            ie_rows=min(args.import_export_rows, args.rows),
            million=args.million,
            say=say,
        )
        for kind in kinds
    }
    if args.json:
        print(json.dumps(results))
    else:
        print_table(results)
    return results


if __name__ == "__main__":
    main()
