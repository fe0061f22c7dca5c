"""E-mail delivery benchmark: the outbox against one SMTP connection per message.

    .venv/bin/python bench/mail.py [--messages 10000] [--workers 1,4] [--rounds 3]
                                   [--database sqlite|postgres|both] [--tls]

Queues N invitation e-mails (HTML + text, rendered at delivery from the invitation templates)
in a throwaway database (SQLite in a temporary directory, or the PostgreSQL database named by
BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/sn_bench_mail, created and
dropped by the run; never var/) and delivers them to a local aiosmtpd sink running in its own
process. Prints messages per second, medians of the rounds:

- reference: `send_mail` in a loop, one SMTP connection per message (the rendering included);
- reused: one connection, Django's `send_messages` in batches of 100 (rendering included): what
  a plain loop gets from this sink, the ceiling the outbox's extra work is measured against;
- outbox with 1 and with 4 worker processes, each running the delivery task's own code
  (`deliver_outbox`: claim a batch, send it over one connection, record the results).

With --tls the sink requires STARTTLS (a throwaway self-signed certificate), as a real relay
does: what one connection per message then costs is closer to production.

Every run is checked: the sink received each message exactly once, and every row is sent.
`run()` returns the figures as a dict (it runs this script in a fresh process, so it can be
called from a process that has Django set up already); `print_table()` prints them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "invitations/email/invitation"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/sn_bench_mail"
DATABASES = ("sqlite", "postgres")


def run(
    *,
    messages: int = 10_000,
    workers: tuple[int, ...] = (1, 4),
    rounds: int = 1,
    tls: bool = False,
    database: str = "sqlite",
) -> dict[str, Any]:
    """The figures for one database ("sqlite" or "postgres") as a dict, measured in a child
    process."""
    command = [sys.executable, str(Path(__file__)), "--json", f"--messages={messages}"]
    command += [f"--workers={','.join(map(str, workers))}", f"--rounds={rounds}"]
    command += [f"--database={database}", *(["--tls"] if tls else [])]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


# The database ------------------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_database(scratch: Path, database: str) -> Iterator[str]:
    if database == "sqlite":
        yield f"sqlite:///{scratch / 'bench.sqlite3'}"
        return
    import psycopg

    url = os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Setup:
    port: int
    scratch: Path
    certificate: Path | None  # the sink's certificate and key, when it requires STARTTLS


def with_certificate(scratch: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 that this process and its children trust."""
    key, cert = scratch / "key.pem", scratch / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    os.environ["SSL_CERT_FILE"] = str(cert)
    both = scratch / "sink.pem"
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    return both


def configure(database_url: str, setup: Setup) -> None:
    """The environment of this process and of the workers it starts; before Django loads."""
    tls = "?tls=1" if setup.certificate else ""
    os.environ.update(
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{setup.port}{tls}",
        # As in production: DEBUG off caches the parsed templates.
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        VAR_DIR=str(setup.scratch),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="suppliernet.settings",
    )
    import django

    django.setup()


# The sink ----------------------------------------------------------------------------------


@contextlib.contextmanager
def sink(setup: Setup) -> Iterator[dict[str, int]]:
    """An aiosmtpd sink in its own process (in this one it would compete for the GIL)."""
    stats_file = setup.scratch / f"sink-{time.monotonic_ns()}.json"
    command = [sys.executable, "-m", "tests.smtp", f"--port={setup.port}", f"--stats={stats_file}"]
    command += [f"--tls-cert={setup.certificate}"] if setup.certificate else []
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    stats: dict[str, int] = {}
    try:
        yield stats
    finally:
        process.terminate()
        process.wait(timeout=30)
        stats.update(json.loads(stats_file.read_text()))


def check(stats: dict[str, int], expected: int, what: str) -> None:
    if stats["messages"] != expected or stats["unique_message_ids"] != expected:
        raise SystemExit(f"{what}: the sink got {stats}, expected {expected} messages once each")


# The measurements --------------------------------------------------------------------------


def context(n: int) -> dict[str, Any]:
    code = f"K7QM-4X2P-{n:04d}"
    return {
        "buyer": "Almacenes Andinos S.A.S.",
        "supplier": f"Proveedor {n} Ltda.",
        "code": code,
        "expires_on": "3 de enero de 2027",
        "url": f"https://suppliers.example.com/activate/?code={code}",
        "activate_url": "https://suppliers.example.com/activate/",
        "replaces_earlier": False,
    }


def reference(count: int, setup: Setup) -> float:
    from django.conf import settings
    from django.core.mail import get_connection, send_mail

    from suppliernet.outbox.rendering import render_mail

    with sink(setup) as stats:
        started = time.perf_counter()
        for n in range(count):
            mail = render_mail(TEMPLATE, context(n), language="es")
            send_mail(
                mail.subject,
                mail.text,
                settings.DEFAULT_FROM_EMAIL,
                [f"proveedor{n}@example.com"],
                html_message=mail.html,
                connection=get_connection(settings.OUTBOX_TRANSPORT_BACKEND),  # a new one each
            )
        elapsed = time.perf_counter() - started
    check(stats, count, "reference")
    return count / elapsed


def reused(count: int, setup: Setup) -> float:
    """One connection, `send_messages` in batches of 100: a plain loop's best on this sink."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives, get_connection

    from suppliernet.outbox.rendering import render_mail

    with sink(setup) as stats:
        started = time.perf_counter()
        with get_connection(settings.OUTBOX_TRANSPORT_BACKEND) as connection:
            for first in range(0, count, 100):
                batch = []
                for n in range(first, min(first + 100, count)):
                    mail = render_mail(TEMPLATE, context(n), language="es")
                    message = EmailMultiAlternatives(
                        mail.subject, mail.text, to=[f"proveedor{n}@example.com"]
                    )
                    message.attach_alternative(mail.html, "text/html")
                    batch.append(message)
                connection.send_messages(batch)
        elapsed = time.perf_counter() - started
    check(stats, count, "reused connection")
    return count / elapsed


def queue(count: int) -> float:
    from django.db import connection, transaction

    from suppliernet.outbox.models import OutgoingMail
    from suppliernet.outbox.queueing import MailSpec, queue_mails

    with connection.cursor() as cursor:  # a plain DELETE: the ORM's would load every row first
        cursor.execute(f"DELETE FROM {OutgoingMail._meta.db_table}")
    specs = [
        MailSpec(
            to=f"proveedor{n}@example.com", template=TEMPLATE, context=context(n), language="es"
        )
        for n in range(count)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        queue_mails(specs)
    return count / (time.perf_counter() - started)


def outbox(count: int, workers: int, setup: Setup) -> float:
    from suppliernet.outbox.models import MailStatus, OutgoingMail

    with sink(setup) as stats:
        processes = [
            subprocess.Popen(
                [sys.executable, str(Path(__file__)), "--deliver"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(workers)
        ]
        for process in processes:  # Django loaded in every worker before the clock starts
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.close()
        for process in processes:
            assert process.stdout is not None and process.stdout.readline().strip() == "done"
        elapsed = time.perf_counter() - started
        for process in processes:
            process.wait(timeout=30)
    check(stats, count, f"outbox with {workers} worker(s)")
    sent = OutgoingMail.objects.filter(status=MailStatus.SENT).count()
    if sent != count:
        raise SystemExit(f"outbox with {workers} worker(s): {sent} of {count} rows sent")
    return count / elapsed


def deliver_when_told() -> None:
    """A worker process: the delivery task's own loop, started on the parent's signal."""
    import django

    django.setup()
    from suppliernet.outbox.tasks import deliver_outbox

    print("ready", flush=True)
    sys.stdin.readline()
    deliver_outbox.call()
    print("done", flush=True)


def measure(
    *, messages: int, workers: list[int], rounds: int, tls: bool, database: str, say: Any
) -> dict[str, Any]:
    from tests.smtp import free_port

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as scratch_dir:
        scratch = Path(scratch_dir)
        setup = Setup(free_port(), scratch, with_certificate(scratch) if tls else None)
        with throwaway_database(scratch, database) as database_url:
            configure(database_url, setup)
            from django.core.management import call_command
            from django.db import connection

            call_command("migrate", verbosity=0)
            # One connection per message is slow: fewer messages give the same rate. Each
            # outbox run is paired with a reference run just before it, so that the load other
            # programs put on a shared machine weighs on both sides of each ratio.
            reference_count = min(messages, 1_000)
            samples: dict[str, list[float]] = {"reference": [], "reused": [], "queue": []}
            for round_number in range(1, rounds + 1):
                samples["reused"].append(reused(reference_count, setup))
                for count in workers:
                    samples["reference"].append(reference(reference_count, setup))
                    samples["queue"].append(queue(messages))
                    rate = outbox(messages, count, setup)
                    samples.setdefault(f"outbox_{count}", []).append(rate)
                    samples.setdefault(f"ratio_{count}", []).append(rate / samples["reference"][-1])
                say(f"  round {round_number}/{rounds} done")
            vendor = connection.vendor
            connection.close()  # before the database is dropped
    medians = {key: statistics.median(values) for key, values in samples.items()}
    result: dict[str, Any] = {
        "messages": messages,
        "reference_messages": reference_count,
        "rounds": rounds,
        "database": vendor,
        "tls": tls,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "reference_per_s": round(medians["reference"]),
        "reused_connection_per_s": round(medians["reused"]),
        "queue_per_s": round(medians["queue"]),
        "workers": workers,
    }
    for count in workers:
        result[f"outbox_{count}_workers_per_s"] = round(medians[f"outbox_{count}"])
        result[f"outbox_{count}_workers_ratio"] = round(medians[f"ratio_{count}"], 2)
        result[f"outbox_{count}_workers_samples"] = [round(v) for v in samples[f"outbox_{count}"]]
    return result


def print_table(result: dict[str, Any]) -> None:
    print(
        f"  database: {result['database']}, STARTTLS: {'yes' if result['tls'] else 'no'}, "
        f"{result['messages']:,} messages, median of {result['rounds']} round(s), "
        f"load average {result['load_average'][0]} → {result['load_average'][1]}"
    )
    print(
        f"  one connection per message (send_mail, {result['reference_messages']:,} messages): "
        f"{result['reference_per_s']:,} messages/s"
    )
    print(
        f"  one connection reused (send_messages by 100, {result['reference_messages']:,} "
        f"messages): {result['reused_connection_per_s']:,} messages/s"
    )
    print(f"  queueing (queue_mails, one transaction): {result['queue_per_s']:,} messages/s")
    for count in result["workers"]:
        print(
            f"  outbox, {count} worker(s): {result[f'outbox_{count}_workers_per_s']:,} messages/s"
            f", {result[f'outbox_{count}_workers_ratio']}× the reference run just before it"
            f" (rounds: {', '.join(map(str, result[f'outbox_{count}_workers_samples']))})"
        )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", default="1,4", help="comma-separated worker counts")
    # One round of 10,000 takes about a minute on a loaded 2-core machine; medians need 3.
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=[*DATABASES, "both"], default="sqlite")
    parser.add_argument("--tls", action="store_true", help="the sink requires STARTTLS")
    parser.add_argument("--json", action="store_true", help="print only the result as JSON")
    parser.add_argument("--deliver", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # suppliernet and tests.smtp
    if args.deliver:
        deliver_when_told()
        return {}
    workers = [int(count) for count in args.workers.split(",")]
    if args.database == "both":  # Django is set up once per process: one child per database
        results = {}
        for database in DATABASES:
            print(f"Delivering {args.messages:,} e-mails ({database}):", flush=True)
            results[database] = run(
                messages=args.messages,
                workers=tuple(workers),
                rounds=args.rounds,
                tls=args.tls,
                database=database,
            )
            print_table(results[database])
        return results
    say = (lambda _line: None) if args.json else print
    say(f"Delivering {args.messages:,} e-mails, median of {args.rounds} round(s):")
    result = measure(
        messages=args.messages,
        workers=workers,
        rounds=args.rounds,
        tls=args.tls,
        database=args.database,
        say=say,
    )
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return result


if __name__ == "__main__":
    main()
