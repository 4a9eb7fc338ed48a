"""The greedy planner and the optimiser against the lower bound on campaign-shaped fleets:
finish, bound, gap, time and peak memory, each plan in a fresh interpreter.

    python -m bench.bench_decisions [--sizes 160,1000,5000] [--budgets 10,60 | --budgets '']
                                    [--out bench/results/decisions.md]

Fleets come from bench/fleetgen.py (seed 0, 60-day horizon: per-date caps on big clusters done
whole, most big clusters rolled). For each fleet: the plain loop in the order it had before the
scarce-slot order (earliest date, placement order only), the greedy planner
(rules/placement/greedy.py), the lower bound (rules/placement/bound.py), and the optimiser
(rules/optimise/) with each budget (CP-SAT deterministic seconds, 1 worker, seed 0). Times are
wall seconds of placement, bound and optimiser (classification excluded); peak memory is the
child's whole peak RSS.
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


def measure(path: str, budget: float | None) -> dict:
    """Plan the fleet at ``path`` in this interpreter (run it fresh): greedy, or optimised."""
    from rules.engine import evaluators
    from rules.placement.greedy import place
    from rules.placement.loop import Placer, to_place
    from rules.placement.order import placement_order
    from rules.validation.workbook import validate
    from sheets.sources import open_source

    book = validate(open_source(path).read()).workbook
    classification = evaluators.for_plans().classify(book)
    start = book.settings.start_date

    def days(windows) -> int:
        return (max(w.date for w in windows) - start).days + 1

    row: dict = {"clusters": len(book.clusters)}
    began = time.perf_counter()
    greedy = place(book, classification)  # the bound is computed inside, timed with it
    row.update(greedy_days=days(greedy.windows), greedy_unscheduled=len(greedy.unscheduled),
               greedy_s=round(time.perf_counter() - began, 2),
               bound_days=(greedy.bound.finish - start).days + 1)
    if budget is None:
        began = time.perf_counter()
        _, todo = to_place(book, classification)
        plain = Placer(book, classification, todo, None, {})
        plain.run(placement_order(todo, classification.clusters, plain.nodes))
        row.update(plain_days=days(plain.windows), plain_unscheduled=len(plain.unscheduled),
                   plain_s=round(time.perf_counter() - began, 2))
    else:
        from rules.optimise.plan import optimise

        began = time.perf_counter()
        found = optimise(book, classification, greedy, budget)
        row.update(budget=budget, days=days(found.schedule.windows), status=found.status,
                   modelled=found.modelled, s=round(time.perf_counter() - began, 2))
    row["peak_mib"] = round(peak_rss_mib())
    return row


def table(rows: list[dict]) -> str:
    lines = ["| fleet | plan | finish (days) | bound | gap | time | peak memory | notes |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        bound = r["bound_days"]
        if "plain_days" in r:
            plans = [("plain loop (before)", r["plain_days"], r["plain_s"],
                      f"{r['plain_unscheduled']} unscheduled"),
                     ("greedy", r["greedy_days"], r["greedy_s"],
                      f"{r['greedy_unscheduled']} unscheduled; time includes the bound")]
        else:
            plans = [(f"--optimise {r['budget']:g} s", r["days"], r["s"],
                      f"{r['status']}; {r['modelled']} clusters modelled")]
        for name, got, seconds, notes in plans:
            gap = (got - bound) / bound
            lines.append(f"| {r['clusters']:,} | {name} | {got} | {bound} | {got - bound} days "
                         f"({gap:.0%}) | {seconds} s | {r['peak_mib']} MiB | {notes} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_decisions")
    parser.add_argument("--sizes", default="160,1000,5000")
    parser.add_argument("--budgets", default="10,60")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "decisions.md"))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # measure one fleet (the child)
    parser.add_argument("--budget", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.budget)))
        return 0
    from bench.fleetgen import synthetic_fleet
    from examples.xlsx_file import write

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = str(Path(tmp) / f"fleet{size}.xlsx")
            write(synthetic_fleet(size), path)
            for budget in [None, *(float(b) for b in args.budgets.split(",") if b)]:
                command = [sys.executable, "-m", "bench.bench_decisions", "--one", path]
                command += [] if budget is None else ["--budget", str(budget)]
                child = subprocess.run(command, cwd=ROOT, check=True, capture_output=True,
                                       text=True)
                rows.append(json.loads(child.stdout))
                print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = table(rows)
    budgets = args.budgets or "''"  # as typed: none
    print(text)
    Path(args.out).write_text(
        f"`python -m bench.bench_decisions --sizes {args.sizes} --budgets {budgets}`\n\n"
        + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
