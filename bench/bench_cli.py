"""The whole ``planner plan WORKBOOK`` command against its floor, bench/bare_plan.py (the same
read, validation, plan and summary with only openpyxl and the planning core). Aim: within 1.2x.

    python -m bench.bench_cli [--workbook examples/fleet.xlsx] [--runs 20]

Each command runs in a fresh interpreter, interleaved, after two warm-up runs: with hyperfine
when it is installed (``apt-get install hyperfine``), else a timing loop here. ``planner`` is the
console script beside this Python when installed, else the same entry point (``api.cli:main``)
through ``python -c``. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIM = 1.2


def commands(workbook: str) -> dict[str, list[str]]:
    script = Path(sys.executable).with_name("planner")
    planner = [str(script)] if script.exists() else [
        sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]
    return {"planner plan": planner + ["plan", workbook],
            "bare script": [sys.executable, str(ROOT / "bench" / "bare_plan.py"), workbook]}


def with_hyperfine(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "times.json"
        argv = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(out)]
        for name, cmd in cmds.items():
            argv += ["-n", name, " ".join(cmd if "-c" not in cmd else _quoted(cmd))]
        subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return {r["command"]: r["times"] for r in json.loads(out.read_text())["results"]}


def _quoted(cmd: list[str]) -> list[str]:
    return [f"'{part}'" if " " in part else part for part in cmd]


def with_loop(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for turn in range(runs + 2):  # interleaved, so a change of load hits both alike
        for name, cmd in cmds.items():
            began = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            if turn >= 2:
                times[name].append(time.perf_counter() - began)
    return times


def table(times: dict[str, list[float]], tool: str, workbook: str) -> str:
    floor = statistics.mean(times["bare script"])
    lines = [f"`{workbook}`, {len(next(iter(times.values())))} runs each ({tool}; 1-minute load "
             f"average {os.getloadavg()[0]:.2f}):", "",
             "| command | mean s | ± s | min s | ÷ bare script |", "|---|---:|---:|---:|---:|"]
    for name, values in times.items():
        mean = statistics.mean(values)
        lines.append(f"| {name} | {mean:.3f} | {statistics.stdev(values):.3f} | "
                     f"{min(values):.3f} | {mean / floor:.2f}× |")
    ratio = statistics.mean(times["planner plan"]) / floor
    lines += ["", f"Aim: within {AIM}× of the bare script: {'met' if ratio <= AIM else 'not met'} "
              f"({ratio:.2f}×)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", default="examples/fleet.xlsx")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    cmds = commands(args.workbook)
    if shutil.which("hyperfine"):
        times, tool = with_hyperfine(cmds, args.runs), "hyperfine -N, 2 warm-ups"
    else:
        times, tool = with_loop(cmds, args.runs), "timing loop, 2 warm-ups"
    print(table(times, tool, args.workbook))


if __name__ == "__main__":
    main()
