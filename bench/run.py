"""`make bench`: every benchmark, side by side with its reference, into bench/results/latest.json.

    .venv/bin/python bench/run.py [--quick]

--quick measures smaller sizes (for a first look; the issues' figures are from the full run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import imports  # noqa: E402
import mail  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    rows, messages = (10_000, 1_000) if options.quick else (100_000, 10_000)
    started = time.time()
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "imports": imports.run(rows=rows, database="both", rounds=1 if options.quick else 3),
        "mail_sqlite": mail.run(messages=messages, workers=(1, 4)),
    }
    results["seconds"] = round(time.time() - started)
    out = HERE / "results" / "latest.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(results, indent=2, default=str))
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
