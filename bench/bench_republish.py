"""Republishing a running campaign against planning it fresh, in time and peak memory.

    python -m bench.bench_republish [--clusters 10000] [--out bench/results/republish.md]

A synthetic fleet (bench/fleetgen.py) is planned as version 1 a month before it starts. Then,
in a fresh interpreter each, at the instant half of version 1's windows have started:
- **fresh**: the fleet planned from scratch with that progress (every window past the freeze
  placed again: ``publish --fresh``);
- **stable**: the same fleet with 1 % of its cluster rows edited (nodes +10 %), planned from
  version 1 with half its windows reported done (what ``publish`` does).
Both time the plan document only (classification, placement, violations, document), not the
reading of the workbook nor the database; peak memory is the interpreter's VmHWM.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_plan import peak_rss_mib

EDITED_SHARE = 0.01


def _validated(tabs):
    from rules.validation.workbook import validate
    from sheets.memory import MemorySource

    result = validate(MemorySource(tabs).read())
    assert result.ok, result.errors[:3]
    return result


def _edit(tabs, share: float, seed: int = 1):
    rows = [list(r) for r in tabs["Clusters"]]
    nodes = [str(h).lower() for h in rows[0]].index("nodes")
    for row in random.Random(seed).sample(rows[1:], max(1, round(share * (len(rows) - 1)))):
        row[nodes] = int(row[nodes] * 1.1) + 1
    return {**tabs, "Clusters": rows}


def prepare(clusters: int, folder: Path) -> None:
    """Version 1 and the progress half-way, written to ``folder`` for the measuring runs."""
    from bench.fleetgen import synthetic_fleet
    from rules.plan.make import plan_document
    from rules.progress import Progress

    tabs = synthetic_fleet(clusters)
    start = next(r[1] for r in tabs["Settings"] if r[0] == "start_date")
    before = dt.datetime.combine(start - dt.timedelta(days=30), dt.time(), dt.timezone.utc)
    first = plan_document(_validated(tabs), Progress(before))
    starts = sorted(w["start"] for w in first["windows"])
    now = dt.datetime.fromisoformat(starts[len(starts) // 2])
    (folder / "case.json").write_text(json.dumps({
        "tabs": tabs, "edited": _edit(tabs, EDITED_SHARE), "windows": first["windows"],
        "now": now.isoformat()}, default=str))


def measure(kind: str, folder: Path) -> dict:
    """One plan of ``kind`` (fresh | stable), in this interpreter."""
    from rules.plan.make import plan_document
    from rules.progress import Progress, from_document

    case = json.loads((folder / "case.json").read_text())
    now = dt.datetime.fromisoformat(case["now"])
    published = tuple(
        from_document(w, "done" if dt.datetime.fromisoformat(w["start"]) < now else "planned",
                      ended=dt.datetime.fromisoformat(w["end"]))
        for w in case["windows"])
    tabs = case["edited" if kind == "stable" else "tabs"]
    validated = _validated(tabs)
    baseline = peak_rss_mib()
    began, cpu = time.perf_counter(), time.process_time()
    doc = plan_document(validated, Progress(now, published, fresh=kind == "fresh"))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    kept = {w["id"]: w["start"] for w in case["windows"]}
    moved = sum(1 for w in doc["windows"] if w["id"] in kept and kept[w["id"]] != w["start"])
    return {"kind": kind, "seconds": round(seconds, 2), "cpu": round(cpu, 2), "peak_mib": round(peak_rss_mib(), 1),
            "baseline_mib": round(baseline, 1), "windows": len(doc["windows"]),
            "moved": moved, "replanned": len(doc.get("replanned", [])),
            "errors": doc["summary"]["errors"]}




def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_republish")
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--out", default="bench/results/republish.md")
    parser.add_argument("--measure", choices=("fresh", "stable"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.folder))))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        prepare(args.clusters, Path(folder))
        results = [json.loads(subprocess.run(
            [sys.executable, "-m", "bench.bench_republish", "--measure", kind, "--folder", folder],
            check=True, capture_output=True, text=True).stdout) for kind in ("fresh", "stable")]
    lines = [f"# Republishing {args.clusters:,} clusters ({platform.machine()}, "
             f"{dt.date.today()})", "",
             f"Command: `python -m bench.bench_republish --clusters {args.clusters}`; half of "
             f"version 1's windows done, {EDITED_SHARE:.0%} of the rows edited for the stable "
             "plan.", "",
             "| plan | seconds (wall) | seconds (CPU) | peak MiB | windows | moved from version 1 "
             "| replanned | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['kind']} | {r['seconds']} | {r['cpu']} | {r['peak_mib']} | {r['windows']:,} | "
              f"{r['moved']:,} | {r['replanned']:,} | {r['errors']} |" for r in results]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
