"""Plan time and peak memory for the example fleet and synthetic fleets, split by stage.

    python -m bench.plan_bench [N ...]      (default: 1000 10000 50000)

Each fleet is planned in a fresh interpreter (so peak memory is that fleet's): validation,
the engine's classification, the placement loop, the engine's violation check, and the JSON
document are timed separately. Synthetic fleets come from bench/fleetgen.py (60-day horizon).
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fleet.xlsx"
STAGES = ("validate", "classify", "place", "violations", "document")


def plan_once(size: int | None) -> dict:
    """Plan one fleet (None: the example), timing each stage."""
    from rules import engine
    from rules.placement import place
    from rules.plan import assemble, document, to_json
    from rules.validate import validate
    from sheets.memory import MemorySource
    from sheets.xlsx import XlsxSource

    if size is None:
        raw = XlsxSource(str(EXAMPLE)).read()
    else:
        from bench.fleetgen import synthetic_fleet

        raw = MemorySource(synthetic_fleet(size)).read()
    times = {}
    began = time.perf_counter()
    book = validate(raw).workbook
    times["validate"] = time.perf_counter()
    classification = engine.classify(book)
    times["classify"] = time.perf_counter()
    schedule = place(book, classification)
    times["place"] = time.perf_counter()
    violations = engine.find_violations(book, classification, schedule.loads,
                                        tuple(w.fact() for w in schedule.windows),
                                        schedule.unscheduled)
    times["violations"] = time.perf_counter()
    doc = document(assemble(book, classification, schedule, violations))
    to_json(doc)
    times["document"] = time.perf_counter()
    seconds, last = {}, began
    for stage in STAGES:
        seconds[stage], last = times[stage] - last, times[stage]
    return {
        "clusters": len(book.clusters), "days": doc["summary"]["days"],
        "windows": doc["summary"]["windows"], "errors": doc["summary"]["errors"],
        "seconds": seconds, "total": times["document"] - began,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(plan_once(None if argv[1] == "example" else int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or [1000, 10000, 50000]
    print(f"{'fleet':<12}{'clusters':>9}{'days':>6}{'windows':>9}"
          + "".join(f"{s + ' s':>13}" for s in STAGES) + f"{'total s':>10}{'peak MB':>9}{'errors':>8}")
    for label in ["example", *map(str, sizes)]:
        out = subprocess.run([sys.executable, "-m", "bench.plan_bench", "--one", label],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        print(f"{label:<12}{r['clusters']:>9}{r['days']:>6}{r['windows']:>9}"
              + "".join(f"{r['seconds'][s]:>13.2f}" for s in STAGES)
              + f"{r['total']:>10.2f}{r['peak_mb']:>9.0f}{r['errors']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
