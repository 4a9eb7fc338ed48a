"""The engine's share of a plan: classification and violations, durable_rules against the plain
twin, for synthetic fleets (bench/fleetgen.py, 60-day horizon).

    python -m bench.bench_engine [--sizes 1000,10000,50000]

Each size runs in a fresh interpreter (peak RSS is per process). Prints a Markdown table: seconds
for classify / violations with durable_rules and in plain Python, and the peak RSS after each.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mib() -> float:
    with open("/proc/self/status") as status:
        return int(next(line.split()[1] for line in status if line.startswith("VmHWM:"))) / 1024


def measure(clusters: int) -> dict:
    """One fleet in this interpreter: validate it, then time each evaluator."""
    from bench.fleetgen import synthetic_fleet
    from rules.engine.evaluators import PLAIN, durable_rules
    from rules.placement.loop import place
    from rules.validation.workbook import validate
    from sheets.memory import MemorySource

    workbook = validate(MemorySource(synthetic_fleet(clusters)).read()).workbook
    result: dict = {"clusters": clusters, "rules": len(workbook.rules)}
    base = peak_rss_mib()

    def timed(name, function, *args):
        began = time.perf_counter()
        value = function(*args)
        result[name] = round(time.perf_counter() - began, 3)
        return value

    classification = timed("classify", durable_rules().classify, workbook)
    result["classify MiB"] = round(peak_rss_mib() - base)
    plain = timed("classify plain", PLAIN.classify, workbook)
    schedule = place(workbook, plain)
    facts = (workbook, plain, schedule.loads, schedule.windows, schedule.unscheduled)
    found = timed("violations", durable_rules().violations, *facts)
    result["peak MiB"] = round(peak_rss_mib())
    found_plain = timed("violations plain", PLAIN.violations, *facts)
    result["windows"] = len(schedule.windows)
    result["agree"] = classification == plain and found == found_plain
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        child = subprocess.run([sys.executable, "-m", "bench.bench_engine", "--one", str(size)],
                               cwd=ROOT, capture_output=True, text=True, check=True)
        rows.append(json.loads(child.stdout))
    columns = ["clusters", "rules", "windows", "classify", "classify plain", "violations",
               "violations plain", "classify MiB", "peak MiB", "agree"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    return 0 if all(row["agree"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
