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


def with_hyperfine(cmds: dict[str, list[str]], runs: int) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "times.json"
        argv = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(out)]
        for name, cmd in cmds.items():
            argv += ["-n", name, " ".join(cmd if "-c" not in cmd else _quoted(cmd))]
        subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return {r["command"]: {"wall": r["times"], "cpu": r["user"] + r["system"]}
                for r in json.loads(out.read_text())["results"]}


def _quoted(cmd: list[str]) -> list[str]:
    return [f"'{part}'" if " " in part else part for part in cmd]


def with_loop(cmds: dict[str, list[str]], runs: int) -> dict[str, dict]:
    wall: dict[str, list[float]] = {name: [] for name in cmds}
    cpu: dict[str, list[float]] = {name: [] for name in cmds}
    for turn in range(runs + 2):  # interleaved, so a change of load hits both alike
        for name, cmd in cmds.items():
            began = time.perf_counter()
            child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            if status:
                raise SystemExit(f"{name} failed: {os.waitstatus_to_exitcode(status)}")
            if turn >= 2:
                wall[name].append(time.perf_counter() - began)
                cpu[name].append(usage.ru_utime + usage.ru_stime)
    return {name: {"wall": wall[name], "cpu": statistics.mean(cpu[name])} for name in cmds}


def table(times: dict[str, dict], tool: str, workbook: str, load: float) -> str:
    floor = times["bare script"]
    runs = len(floor["wall"])
    lines = [f"`{workbook}`, {runs} runs each ({tool}; 1-minute load average {load:.2f} before, "
             f"{os.getloadavg()[0]:.2f} after):", "",
             "| command | wall mean s | ± s | min s | CPU s | ÷ bare script (wall mean / min / CPU) |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, t in times.items():
        mean, least = statistics.mean(t["wall"]), min(t["wall"])
        lines.append(f"| {name} | {mean:.3f} | {statistics.stdev(t['wall']):.3f} | {least:.3f} | "
                     f"{t['cpu']:.3f} | {mean / statistics.mean(floor['wall']):.2f}× / "
                     f"{least / min(floor['wall']):.2f}× / {t['cpu'] / floor['cpu']:.2f}× |")
    ratio = statistics.mean(times["planner plan"]["wall"]) / statistics.mean(floor["wall"])
    lines += ["", f"Aim: wall mean within {AIM}× of the bare script's: "
              f"{'met' if ratio <= AIM else 'not met'} ({ratio:.2f}×)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", default="examples/fleet.xlsx")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    cmds = commands(args.workbook)
    load = os.getloadavg()[0]
    if shutil.which("hyperfine"):
        times, tool = with_hyperfine(cmds, args.runs), "hyperfine -N, 2 warm-ups"
    else:
        times, tool = with_loop(cmds, args.runs), "timing loop, 2 warm-ups"
    print(table(times, tool, args.workbook, load))


if __name__ == "__main__":
    main()
