"""Webhook delivery: throughput and end-to-end latency (state report -> receiver) for 1,000
events to 10 subscribers.

    python -m bench.bench_webhooks [--events 1000] [--subscribers 10] [--workers 2]
                                   [--database URL|postgres] [--rate REPORTS_PER_SECOND]

A fresh database (SQLite in a temp dir unless ``--database`` names an empty PostgreSQL one), one
published version of ``events / 2`` windows, ``--subscribers`` subscriptions to a receiver on
127.0.0.1 (answering 200 at once, recording when each request arrived), and ``--workers``
``flask deliver`` processes. Then every window is reported in_progress and done through the API
(the Flask test client: request handling without a network hop), as fast as it goes: each report
writes one window.state_changed event, delivered to every subscriber. Latency is from just before
the report to the request's arrival at the receiver. ``--rate`` paces the reports (latency
without a queue); ``--database postgres`` starts a throwaway PostgreSQL. Prints Markdown, also
appended to bench/results/webhooks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import create_app  # noqa: E402
from api.auth import create_token  # noqa: E402
from api.db import migrate  # noqa: E402
from api.service import publish  # noqa: E402
from api.windows import window_id  # noqa: E402
from tests.receiver import Receiver, deliver_process  # noqa: E402


def windows(count: int) -> list[dict]:
    start = dt.datetime(2027, 1, 5, 11, tzinfo=dt.timezone.utc)
    return [{"cluster": f"bench-{i:04d}", "date": start.date().isoformat(),
             "start": start.isoformat(), "end": (start + dt.timedelta(hours=6)).isoformat(),
             "nodes": 8, "batch": 1, "batches": 1, "tier": 1, "region": "westeurope",
             "geo": "EU", "rules": []} for i in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(events: int, subscribers: int, workers: int, database: str | None,
        rate: float | None) -> dict:
    url = database or f"sqlite:///{tempfile.mkdtemp(prefix='bench-hooks-')}/planner.db"
    migrate(url)
    app = create_app({"DATABASE_URL": url, "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"})
    client = app.test_client()
    plan = windows(events // 2)
    with app.app_context():
        publish({"windows": plan, "errors": [], "violations": []}, "0" * 64, "bench", "")
        reporter = {"Authorization": "Bearer " + create_token("bench", "reporter")}
    receiver = Receiver()
    for i in range(subscribers):
        client.post("/api/v1/subscriptions", headers=reporter, json={
            "url": f"{receiver.url}/s{i}", "events": ["window.state_changed"]})
    processes = [deliver_process(url, f"bench-{n}", WEBHOOK_POLL_SECONDS=0.05)
                 for n in range(workers)]
    for process in processes:
        process.stderr.readline()  # started
    sent: dict[tuple[str, str], float] = {}
    began = time.time()
    for state in ("in_progress", "done"):
        for window in plan:
            wid = window_id(window["cluster"], 1)
            if rate:  # paced: the n-th report at n / rate seconds
                time.sleep(max(0.0, began + len(sent) / rate - time.time()))
            sent[(wid, state)] = time.time()
            client.post(f"/api/v1/windows/{wid}/state", headers=reporter, json={"state": state})
    reported = time.time()
    expected = len(sent) * subscribers
    receiver.wait_for(lambda got: len(got) >= expected, timeout=600)
    for process in processes:
        process.terminate()
        process.wait(10)
    receiver.stop()
    latencies = []
    for got in receiver.received:
        data = json.loads(got.body)["data"]
        latencies.append(got.at - sent[(data["window"]["id"], data["new_state"])])
    last = max(r.at for r in receiver.received)
    return {"events": len(sent), "subscribers": subscribers, "workers": workers,
            "deliveries": len(receiver.received), "expected": expected,
            "database": url.split(":", 1)[0].split("+")[0],
            "rate": f"{rate:g} reports/s" if rate else "as fast as they go",
            "report_seconds": reported - began, "total_seconds": last - began,
            "throughput": len(receiver.received) / (last - began),
            "p50": statistics.median(latencies), "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99), "max": max(latencies)}


def markdown(r: dict) -> str:
    return "\n".join([
        f"{r['events']} window.state_changed events to {r['subscribers']} subscribers "
        f"({r['deliveries']} of {r['expected']} deliveries), {r['workers']} `flask deliver` "
        f"workers, {r['database']}, reports {r['rate']}:",
        "",
        "| reports took | all delivered after | deliveries/s | latency p50 | p95 | p99 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['report_seconds']:.1f} s | {r['total_seconds']:.1f} s | {r['throughput']:.0f} | "
        f"{r['p50'] * 1000:.0f} ms | {r['p95'] * 1000:.0f} ms | {r['p99'] * 1000:.0f} ms | "
        f"{r['max'] * 1000:.0f} ms |", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", help="an empty PostgreSQL database URL (default SQLite); "
                        "'postgres': a throwaway PostgreSQL server")
    parser.add_argument("--rate", type=float, help="reports per second (default: unpaced)")
    args = parser.parse_args()
    server = None
    if args.database == "postgres":
        from tests.servers import ThrowawayPostgres, fresh_database

        server = ThrowawayPostgres()
        args.database = fresh_database(server.url)
    try:
        text = markdown(run(args.events, args.subscribers, args.workers, args.database,
                            args.rate))
    finally:
        if server:
            server.stop()
    print(text)
    with open(ROOT / "bench" / "results" / "webhooks.md", "a", encoding="utf-8") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()
