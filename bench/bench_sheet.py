"""Edit-to-Violations-tab latency of the live sheet, against the loopback fake Google API.

    python -m bench.bench_sheet [--trials 5] [--sizes example 5000] [--debounce 0 1]

For each fleet (the example workbook, and synthetic fleets from bench/fleetgen.py), a planner's
edit (Settings daily_node_cap changed) is followed by the webhook call the Apps Script makes;
the clock stops when the Violations tab's status line shows the new run. Also timed, without
the webhook: one run's stages (read the input tabs, validate and plan, write the output tabs).
The fake is a Python HTTP server on loopback: Google's own latency (typically 100-300 ms a
request) is not in these numbers, and two requests of it are in every run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fleet.xlsx"


def fleet_tabs(size: str) -> dict[str, list[list]]:
    if size == "example":
        from sheets.xlsx import XlsxSource

        raw = XlsxSource(str(EXAMPLE)).read()
        return {t.title: [list(row) for row in t.rows] for t in raw.tables.values()}
    from bench.fleetgen import synthetic_fleet

    return synthetic_fleet(int(size))


def cap_cell(tabs: dict[str, list[list]]) -> tuple[str, int, int, int]:
    """The A1 cell of daily_node_cap's value, its value, and its (row, column) from zero."""
    settings = tabs["Settings"]
    header = [str(h).lower() for h in settings[0]]
    row = next(i for i, r in enumerate(settings) if r and str(r[0]).lower() == "daily_node_cap")
    col = header.index("value")
    return f"Settings!{chr(65 + col)}{row + 1}", int(settings[row][col]), row, col


def stages(fake, sheet: str, client, trials: int) -> dict[str, float]:
    from rules.plan.make import plan_document
    from rules.validation.workbook import validate
    from sheets.gsheet import GoogleSheetSink, GoogleSheetSource
    from sheets.gsheet_run import status_line, tabs_with_status

    source, sink = GoogleSheetSource(sheet, client), GoogleSheetSink(sheet, client, [client.account])
    times: dict[str, list[float]] = {"read": [], "validate+plan": [], "write": []}
    for _ in range(trials):
        t0 = time.perf_counter()
        snapshot = source.snapshot()
        t1 = time.perf_counter()
        document = plan_document(validate(snapshot.raw))
        t2 = time.perf_counter()
        tabs, headers = tabs_with_status(document, status_line(snapshot.content_hash, _now(), {
            "sheet_errors": 0, "error_violations": 0, "warnings": 0, "windows": 0}))
        sink.write(tabs, headers)
        t3 = time.perf_counter()
        times["read"].append(t1 - t0)
        times["validate+plan"].append(t2 - t1)
        times["write"].append(t3 - t2)
    return {k: statistics.median(v) for k, v in times.items()}


def _now():
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc)


def edit_to_tab(fake, sheet: str, app, where: tuple, trials: int) -> list[float]:
    from api.service import check_live_sheet

    cell, cap, row, col = where
    client = app.test_client()
    headers = {"X-Webhook-Secret": "bench"}
    with app.app_context():
        check_live_sheet(force=True)
    latencies = []
    for _ in range(trials):
        before = fake.cell(sheet, "Violations", 0, 0).value
        began = time.perf_counter()
        current = fake.values(sheet, "Settings")[row][col]
        fake.type(sheet, cell, [[cap - 1 if current != cap - 1 else cap - 2]])  # always a change
        answer = client.post("/api/v1/hooks/sheet-changed", json={}, headers=headers)
        assert answer.status_code == 202, answer.get_json()
        while fake.cell(sheet, "Violations", 0, 0).value == before:
            time.sleep(0.005)
        latencies.append(time.perf_counter() - began)
        app.extensions["planner_hooks"].wait_idle(60)
    return latencies


def bench(size: str, trials: int, debounces: list[float]) -> list[str]:
    from api import create_app
    from api.db import migrate
    from sheets.gsheet_client import GoogleConfig, connect
    from tests.fakes.service_account import write_key_file
    from tests.fakes.sheets_api import FakeSheetsApi

    tabs = fleet_tabs(size)
    where = cap_cell(tabs)
    clusters = len(tabs["Clusters"]) - 1
    lines = []
    with FakeSheetsApi() as fake, tempfile.TemporaryDirectory() as tmp:
        sheet = fake.create_spreadsheet(f"bench {size}", tabs)
        settings = {"GOOGLE_APPLICATION_CREDENTIALS": str(write_key_file(Path(tmp) / "key.json", fake.token_uri)),
                    "SHEETS_API_URL": fake.url, "DRIVE_API_URL": fake.url}
        parts = stages(fake, sheet, connect(GoogleConfig.from_mapping(settings)), trials)
        lines.append(f"| {size} ({clusters} clusters) | run stages | read {parts['read']:.2f} s, "
                     f"validate+plan {parts['validate+plan']:.2f} s, write {parts['write']:.2f} s |")
        for debounce in debounces:
            app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench-{debounce}.db", "SHEET_ID": sheet,
                              "SHEET_WEBHOOK_SECRET": "bench", "SHEET_DEBOUNCE_SECONDS": debounce,
                              **settings})
            migrate(app.config["DATABASE_URL"])
            latencies = edit_to_tab(fake, sheet, app, where, trials)
            lines.append(f"| {size} ({clusters} clusters) | edit → Violations tab, debounce {debounce:g} s | "
                         f"median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s |")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--sizes", nargs="+", default=["example", "5000"])
    parser.add_argument("--debounce", nargs="+", type=float, default=[0.0, 1.0])
    args = parser.parse_args(argv)
    print("| fleet | measure | time |\n|---|---|---|")
    for size in args.sizes:
        for line in bench(size, args.trials, args.debounce):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
