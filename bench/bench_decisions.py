"""The greedy planner against the lower bound on campaign-shaped fleets: finish, bound, gap,
time and peak memory, each fleet in a fresh interpreter.

    python -m bench.bench_decisions [--sizes 160,1000,5000] [--out bench/results/decisions.md]

Fleets come from bench/fleetgen.py (seed 0, 60-day horizon: per-date caps on big clusters done
whole, most big clusters rolled). Three plans of each: the plain loop in the order it had before
the scarce-slot order (earliest date, placement order only), the greedy planner
(rules/placement/greedy.py), and the lower bound (rules/placement/bound.py). Times are the
placement's and the bound's alone (classification excluded); peak memory is the child's.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_plan import peak_rss_mib

ROOT = Path(__file__).resolve().parent.parent


def measure(path: str) -> dict:
    """Plan the fleet at ``path`` in this interpreter (run it fresh)."""
    import rules.engine.classify as engine
    from rules.placement.bound import lower_bound
    from rules.placement.greedy import place
    from rules.placement.loop import Placer, to_place
    from rules.placement.order import placement_order
    from rules.validation.workbook import validate
    from sheets.sources import open_source

    book = validate(open_source(path).read()).workbook
    classification = engine.classify(book)
    start = book.settings.start_date

    def finish(windows):
        return (max(w.date for w in windows) - start).days + 1

    began = time.perf_counter()
    _, todo = to_place(book, classification)
    plain = Placer(book, classification, todo)
    plain.run(placement_order(todo, classification.clusters, plain.nodes))
    plain_s = time.perf_counter() - began
    began = time.perf_counter()
    bound = lower_bound(book, classification)
    bound_s = time.perf_counter() - began
    began = time.perf_counter()
    greedy = place(book, classification)
    greedy_s = time.perf_counter() - began
    return {
        "clusters": len(book.clusters), "plain_days": finish(plain.windows),
        "plain_unscheduled": len(plain.unscheduled), "plain_s": round(plain_s, 2),
        "greedy_days": finish(greedy.windows), "greedy_unscheduled": len(greedy.unscheduled),
        "greedy_s": round(greedy_s, 2), "bound_days": (bound.finish - start).days + 1,
        "bound_s": round(bound_s, 2), "peak_mib": round(peak_rss_mib()),
    }


def table(rows: list[dict]) -> str:
    lines = ["| fleet | plain loop: days (unscheduled), s | greedy: days (unscheduled), s | "
             "bound: days, s | greedy gap | peak memory |", "|---|---|---|---|---|---|"]
    for r in rows:
        gap = (r["greedy_days"] - r["bound_days"]) / r["bound_days"]
        lines.append(
            f"| {r['clusters']:,} clusters | {r['plain_days']} ({r['plain_unscheduled']}), "
            f"{r['plain_s']} s | {r['greedy_days']} ({r['greedy_unscheduled']}), "
            f"{r['greedy_s']} s | {r['bound_days']}, {r['bound_s']} s | "
            f"{r['greedy_days'] - r['bound_days']} days ({gap:.0%}) | {r['peak_mib']} MiB |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_decisions")
    parser.add_argument("--sizes", default="160,1000,5000")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "decisions.md"))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # measure one fleet (the child)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    from bench.fleetgen import synthetic_fleet
    from examples.xlsx_file import write

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = str(Path(tmp) / f"fleet{size}.xlsx")
            write(synthetic_fleet(size), path)
            child = subprocess.run([sys.executable, "-m", "bench.bench_decisions", "--one", path],
                                   cwd=ROOT, check=True, capture_output=True, text=True)
            rows.append(json.loads(child.stdout))
    text = table(rows)
    print(text)
    Path(args.out).write_text(
        "`python -m bench.bench_decisions --sizes " + args.sizes + "`\n\n" + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
