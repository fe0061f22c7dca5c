"""`make bench`: every benchmark, side by side with its reference, into bench/results/latest.json.

    .venv/bin/python bench/run.py [--quick] [--only imports,mail,list]

--quick measures smaller sizes (for a first look; the issues' figures are from the full run).
Each part prints its own table as it finishes; the targets of issue #9 follow at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import imports  # noqa: E402
import mail  # noqa: E402
import suppliers_list  # noqa: E402

PARTS = ("imports", "mail", "list")


def measure_imports(quick: bool) -> dict[str, Any]:
    rows, rounds = (10_000, 1) if quick else (100_000, 3)
    # 1,000,000 rows once, on SQLite: it shows memory stays flat, not another speed.
    results = imports.run(rows=rows, database="sqlite", rounds=rounds, million=not quick)
    results.update(imports.run(rows=rows, database="postgres", rounds=rounds))
    imports.print_table(results)
    return results


def measure_mail(quick: bool) -> dict[str, Any]:
    messages, rounds = (1_000, 1) if quick else (10_000, 3)
    results = {
        database: mail.run(messages=messages, workers=(1, 4), rounds=rounds, database=database)
        for database in ("sqlite", "postgres")
    }
    for figures in results.values():
        mail.print_table(figures)
    return results


def measure_list(quick: bool) -> dict[str, Any]:
    results = suppliers_list.run(suppliers=100_000 if quick else 1_000_000)
    suppliers_list.print_table(results)
    return results


MEASURES = {"imports": measure_imports, "mail": measure_mail, "list": measure_list}


def target_lines(results: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(what, measured, target, met) for each of issue #9's targets that was measured."""
    lines = []
    if sqlite := results.get("imports", {}).get("sqlite"):
        create = sqlite["app_create"]["rows_per_s"]
        lines.append(
            ("import, SQLite, rows/s (create)", f"{create:,}", "≥ 20,000", create >= 20_000)
        )
        vs_floor = sqlite["create_app_vs_floor"]
        lines.append(("import ÷ floor", f"{vs_floor}×", "≥ 0.33× (within 3×)", vs_floor >= 1 / 3))
        vs_ie = sqlite["create_app_vs_import_export"]
        lines.append(("import ÷ django-import-export", f"{vs_ie}×", "≥ 10×", vs_ie >= 10))
        if big := sqlite.get("app_create_1000000"):
            rss = big["peak_rss_mb"]
            lines.append(("import 1,000,000 rows, peak RSS", f"{rss} MB", "< 150 MB", rss < 150))
    for database, figures in results.get("mail", {}).items():
        rate = figures["outbox_1_workers_per_s"]
        lines.append((f"invitations/s, 1 worker, {database}", f"{rate:,}", "≥ 500", rate >= 500))
    listed = results.get("list", {})
    for case, figures in listed.get("cases", {}).items():
        p95 = figures["p95_ms"]
        what = f"list p95 at {listed['suppliers']:,}, {case}"
        lines.append((what, f"{p95} ms", "< 100 ms", p95 < 100))
    return lines


def print_targets(results: dict[str, Any]) -> None:
    lines = target_lines(results)
    width = max((len(line[0]) for line in lines), default=10) + 2
    print(f"\nIssue #9 targets\n{'figure':<{width}}{'measured':>14}  {'target':<22}met")
    for what, measured, target, met in lines:
        print(f"{what:<{width}}{measured:>14}  {target:<22}{'yes' if met else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS)
    )
    options = parser.parse_args()
    started = time.time()
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
        },
        "quick": options.quick,
    }
    for part in options.only.split(","):
        results[part] = MEASURES[part](options.quick)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["seconds"] = round(time.time() - started)
    print_targets(results)
    out = HERE / "results" / "latest.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nAll figures in {out.relative_to(HERE.parent)} ({results['seconds']} s)")


if __name__ == "__main__":
    main()
