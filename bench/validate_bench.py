"""Time to read an .xlsx workbook and to validate it, for the example fleet and synthetic fleets.

    python -m bench.validate_bench [N ...]      (default: 1000 10000 50000)

Reading (openpyxl, read-only) and validation are timed separately; peak memory is the
process's, so run it in a fresh interpreter.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.fleetgen import synthetic_fleet
from examples.xlsx_file import write
from rules.validation.workbook import validate
from sheets.xlsx import XlsxSource

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fleet.xlsx"


def measure(path: Path) -> tuple[float, float, int, int]:
    """Seconds to read, seconds to validate, clusters, errors."""
    began = time.perf_counter()
    raw = XlsxSource(path).read()
    read = time.perf_counter()
    result = validate(raw)
    done = time.perf_counter()
    clusters = len(raw.table("clusters").rows) - 1 if raw.table("clusters") else 0
    return read - began, done - read, clusters, len(result.errors)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000, 50000]
    print(f"{'workbook':<22}{'clusters':>9}{'read s':>9}{'validate s':>12}{'errors':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("examples/fleet.xlsx", EXAMPLE)]
        for n in sizes:
            path = Path(tmp) / f"fleet{n}.xlsx"
            write(synthetic_fleet(n), str(path))
            targets.append((f"synthetic {n}", path))
        for name, path in targets:
            read, checked, clusters, errors = measure(path)
            print(f"{name:<22}{clusters:>9}{read:>9.2f}{checked:>12.2f}{errors:>8}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
