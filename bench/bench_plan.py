"""Plan time and peak memory, stage by stage, for the example fleet and synthetic fleets.

    python -m bench.bench_plan [--sizes 1000,10000,50000] [--runs 10] [--out bench/results/plan.md]
                               [--before REV]
    python -m bench.bench_plan --profile 10000      (cProfile of one plan: where the time goes)

Synthetic fleets come from bench/fleetgen.py (60-day horizon) and are written to .xlsx first, so
every fleet is read the way the CLI reads it. For each fleet, in a fresh interpreter each:
- the stages: read+validate, engine classification (durable_rules), placement, violations
  (durable_rules), JSON (document + to_json); imports are timed apart;
- the whole command, ``flask --app wsgi plan FLEET --json /dev/null``: wall time and the child's
  peak RSS (os.wait4). The example is also timed with hyperfine when it is installed.
Growth: the exponent k in time ~ (clusters x days)^k between consecutive synthetic sizes, beside
the exponent n log n would give over the same step. With ``--before REV`` every fleet is also
planned by the code of git revision REV (exported to a temporary directory), on the same files
in the same run, for a before/after table. Prints Markdown and writes it to --out.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fleet.xlsx"
FLASK = Path(sys.executable).with_name("flask")
STAGES = ("read+validate", "classify", "place", "violations", "JSON")
PLAN_STAGES = STAGES[1:]  # what the engine and the planner own, without the file reading
EXAMPLE_TARGET_S = 1.0
TARGET_CLUSTERS, TARGET_S, TARGET_MIB = 10_000, 10.0, 1024
NOISE = 0.1  # exponent slack before growth counts as worse than n log n (timer and load noise)


def peak_rss_mib() -> float:
    """This process's own peak RSS. Not ru_maxrss: Linux carries that over from the parent
    across fork and exec, so a child of a big parent would report the parent's peak."""
    with open("/proc/self/status") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    return int(kib) / 1024


def measure_stages(path: str) -> dict:
    """Plan the workbook at ``path`` in this interpreter, timing each stage (run it fresh)."""
    began = time.perf_counter()
    from rules.engine.evaluators import for_plans
    from rules.placement.loop import place
    from rules.plan.document import to_json
    from rules.plan.make import assemble, document
    from rules.validation.workbook import validate
    from sheets.sources import open_source
    engine = for_plans()  # loads durable_rules

    imported = time.perf_counter()
    baseline = peak_rss_mib()
    marks, cpu = [imported], [time.process_time()]

    def mark():
        marks.append(time.perf_counter())
        cpu.append(time.process_time())

    validated = validate(open_source(path).read())
    if not validated.ok:
        raise SystemExit(f"{path} is invalid: {validated.errors[0].message}")
    book = validated.workbook
    mark()
    classification = engine.classify(book)
    mark()
    schedule = place(book, classification)
    mark()
    violations = engine.violations(book, classification, schedule.loads, schedule.windows,
                                   schedule.unscheduled)
    mark()
    doc = document(assemble(book, classification, schedule, violations)).as_json()
    text = to_json(doc)
    mark()
    return {
        "clusters": len(book.clusters), "days": doc["summary"]["days"],
        "windows": doc["summary"]["windows"], "errors": doc["summary"]["errors"],
        "json_bytes": len(text.encode()), "imports": imported - began,
        "seconds": {s: b - a for s, a, b in zip(STAGES, marks, marks[1:])},
        "cpu": {s: b - a for s, a, b in zip(STAGES, cpu, cpu[1:])},
        "baseline_mib": baseline, "peak_mib": peak_rss_mib(),
    }


def stages_in_child(path: Path, root: Path = ROOT) -> dict:
    """The stages of one plan, in a fresh interpreter running the code under ``root``."""
    out = subprocess.run([sys.executable, "-m", "bench.bench_plan", "--stages", str(path)],
                         cwd=root, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"stage run failed for {path}:\n{out.stderr}")
    return json.loads(out.stdout)


def plan_command(path: Path) -> list[str]:
    return [str(FLASK), "--app", "wsgi", "plan", str(path), "--json", os.devnull]


def whole_command(path: Path, root: Path = ROOT) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run of the plan command (the code
    under ``root``)."""
    began = time.perf_counter()
    child = subprocess.Popen(plan_command(path), cwd=root, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    errors = child.stderr.read().decode()  # before waiting: a full pipe would block the child
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    # 1: the plan has error violations, still a plan; but a crash exits with 1 too.
    if child.returncode not in (0, 1) or "Traceback" in errors:
        raise SystemExit(f"plan command failed ({child.returncode}): {errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def hyperfine(path: Path, runs: int) -> dict | None:
    """Mean, stddev, min and max seconds of the plan command, or None without hyperfine."""
    if not shutil.which("hyperfine"):
        return None
    whole_command(path)  # fails loudly on a crash, which hyperfine -i would time as a run
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        subprocess.run(["hyperfine", "-N", "-i", "-w", "2", "-r", str(runs), "--export-json",
                        export.name, " ".join(plan_command(path))],
                       cwd=ROOT, check=True, capture_output=True)
        result = json.load(open(export.name))["results"][0]
    if len(set(result["exit_codes"])) > 1:
        raise SystemExit(f"the plan command's exit code changed between runs: {result['exit_codes']}")
    return {**{k: result[k] for k in ("mean", "stddev", "min", "max")},
            "cpu": result["user"] + result["system"]}


def repeated(path: Path, runs: int) -> dict:
    """hyperfine's numbers from repeated subprocess runs, when hyperfine is missing."""
    measured = [whole_command(path) for _ in range(runs)]
    times = [wall for wall, _, _ in measured]
    mean = sum(times) / runs
    return {"mean": mean, "stddev": math.sqrt(sum((t - mean) ** 2 for t in times) / runs),
            "min": min(times), "max": max(times), "cpu": sum(c for _, c, _ in measured) / runs}


def growth(rows: list[dict]) -> list[dict]:
    """Exponent of each stage's and the plan's CPU time in clusters x days, size to size.

    CPU time, not wall time: other processes on the machine stretch the wall clock unevenly."""
    out = []
    for small, big in zip(rows, rows[1:]):
        m1, m2 = small["clusters"] * small["days"], big["clusters"] * big["days"]
        step = math.log(m2 / m1)
        exponents = {s: math.log(big["cpu"][s] / small["cpu"][s]) / step for s in STAGES}
        exponents["plan"] = math.log(big["plan_cpu"] / small["plan_cpu"]) / step
        out.append({"from": small["label"], "to": big["label"], "exponents": exponents,
                    "nlogn": math.log((m2 * math.log(m2)) / (m1 * math.log(m1))) / step})
    return out


def export(rev: str, into: Path) -> Path:
    """The tree of git revision ``rev`` of this repository, written under ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def render(rows: list[dict], example_timing: dict, timing_tool: str, grown: list[dict],
           command: str, load: tuple[float, float]) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    t = example_timing
    lines = [
        f"Command: `{command}` ({now}; {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"1-minute load average {load[0]:.2f} before, {load[1]:.2f} after).",
        "",
        "Seconds of wall time per stage, each fleet in a fresh interpreter; plan = classify + "
        "place + violations + JSON, with its CPU seconds in brackets; peak RSS of that "
        "interpreter, after imports in brackets. Command: the whole "
        "`flask --app wsgi plan FLEET --json /dev/null`, one run, wall (CPU) seconds and peak RSS.",
        "",
        "| fleet | code | clusters | days | windows | " + " | ".join(STAGES)
        + " | plan | imports | peak RSS MiB | command s | command MiB |",
        "|---|---|" + "---:|" * (len(STAGES) + 8),
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r.get('code', 'this')} | {r['clusters']:,} | {r['days']} | "
            f"{r['windows']:,} | "
            + " | ".join(f"{r['seconds'][s]:.2f}" for s in STAGES)
            + f" | {r['plan']:.2f} ({r['plan_cpu']:.2f}) | {r['imports']:.2f} | "
            f"{r['peak_mib']:.0f} ({r['baseline_mib']:.0f}) | "
            f"{r['command_s']:.2f} ({r['command_cpu']:.2f}) | {r['command_mib']:.0f} |")
    lines += [
        "",
        "Whole command for the example, `flask --app wsgi plan examples/fleet.xlsx --json /dev/null`"
        f" ({timing_tool}): mean {t['mean']:.3f} s ± {t['stddev']:.3f}, "
        f"min {t['min']:.3f} s, max {t['max']:.3f} s; CPU {t['cpu']:.3f} s.",
    ]
    if grown:
        lines += ["", "Growth: k in CPU time ~ (clusters x days)^k from size to size; the last "
                  "column is the k that n log n gives over the same step.", "",
                  "| from | to | " + " | ".join(STAGES) + " | plan | n log n |",
                  "|---|---|" + "---:|" * (len(STAGES) + 2)]
        for g in grown:
            e = g["exponents"]
            lines.append(f"| {g['from']} | {g['to']} | "
                         + " | ".join(f"{e[s]:.2f}" for s in STAGES)
                         + f" | {e['plan']:.2f} | {g['nlogn']:.2f} |")
    current = [r for r in rows if r.get("code", "this") == "this"]
    lines += ["", "Targets (this code):", ""]
    lines += [f"- {line}" for line in verdicts(current, example_timing, grown)]
    return "\n".join(lines) + "\n"


def verdicts(rows: list[dict], example_timing: dict, grown: list[dict]) -> list[str]:
    """Met or missed on wall time, as the targets are stated; CPU time beside it."""
    met = {True: "met", False: "MISSED"}
    t = example_timing
    out = [f"example, whole command under {EXAMPLE_TARGET_S:.0f} s: "
           f"{met[t['mean'] < EXAMPLE_TARGET_S]} ({t['mean']:.2f} s mean, {t['cpu']:.2f} s CPU)"]
    for r in rows:
        if r["clusters"] == TARGET_CLUSTERS:
            ok = r["command_s"] < TARGET_S and r["command_mib"] < TARGET_MIB
            out.append(f"{TARGET_CLUSTERS:,} clusters over {r['days']} days, whole command under "
                       f"{TARGET_S:.0f} s and {TARGET_MIB} MiB: {met[ok]} ({r['command_s']:.2f} s, "
                       f"{r['command_cpu']:.2f} s CPU, {r['command_mib']:.0f} MiB)")
    for g in grown:
        ok = g["exponents"]["plan"] <= g["nlogn"] + NOISE
        out.append(f"plan time from {g['from']} to {g['to']} no worse than n log n in clusters x "
                   f"days: {met[ok]} (k = {g['exponents']['plan']:.2f}, n log n {g['nlogn']:.2f}, "
                   f"slack {NOISE})")
    return out


def profile(size: int, top: int) -> None:
    """cProfile of the plan stages for a synthetic fleet: own and cumulative time per function."""
    import cProfile
    import pstats

    from bench.fleetgen import synthetic_fleet
    from examples.xlsx_file import write

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / f"fleet{size}.xlsx")
        write(synthetic_fleet(size), path)
        profiler = cProfile.Profile()
        profiler.runcall(measure_stages, path)
    for order in ("tottime", "cumulative"):
        print(f"--- top {top} by {order} ---")
        pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(top)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_plan",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="synthetic fleet sizes, comma-separated ('' for the example only)")
    parser.add_argument("--horizon", type=int, default=60, help="days the synthetic plans span")
    parser.add_argument("--runs", type=int, default=10, help="runs of the example's command")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "plan.md")
    parser.add_argument("--before", metavar="REV",
                        help="also plan every fleet with the code of this git revision")
    parser.add_argument("--stages", metavar="XLSX", help=argparse.SUPPRESS)  # the child's part
    parser.add_argument("--profile", type=int, metavar="N", help="profile one N-cluster plan")
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    args = parser.parse_args(argv)
    if args.stages:
        print(json.dumps(measure_stages(args.stages)))
        return 0
    if args.profile:
        profile(args.profile, args.top)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    load_before, rows = os.getloadavg()[0], []
    with tempfile.TemporaryDirectory() as tmp:
        fleets = [("example", EXAMPLE)]
        for n in sizes:
            path = Path(tmp) / f"fleet{n}.xlsx"
            # A child writes it: this process stays small, so its children's ru_maxrss is theirs.
            subprocess.run([sys.executable, "-m", "bench.fleetgen", str(n), str(path),
                            "--horizon", str(args.horizon)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            fleets.append((f"synthetic {n:,}", path))
        codes = [("this", ROOT)]
        if args.before:
            codes.insert(0, (f"before ({args.before})", export(args.before, Path(tmp) / "before")))
        table = []  # every row, before beside this code
        for label, path in fleets:
            for code, root in codes:
                row = {"label": label, "code": code, **stages_in_child(path, root)}
                row["plan"] = sum(row["seconds"][s] for s in PLAN_STAGES)
                row["plan_cpu"] = sum(row["cpu"][s] for s in PLAN_STAGES)
                row["command_s"], row["command_cpu"], row["command_mib"] = whole_command(path, root)
                table.append(row)
                if root == ROOT:
                    rows.append(row)
                print(f"{label} ({code}): plan {row['plan']:.2f} s, command "
                      f"{row['command_s']:.2f} s", file=sys.stderr)
    timing = hyperfine(EXAMPLE, args.runs)
    tool = f"hyperfine, {args.runs} runs after 2 warm-ups"
    if timing is None:
        timing, tool = repeated(EXAMPLE, args.runs), f"{args.runs} subprocess runs"
    command = "python -m bench.bench_plan" + ("" if argv == [] else " " + " ".join(argv))
    text = render(table, timing, tool, growth(rows[1:]), command,
                  (load_before, os.getloadavg()[0]))
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
