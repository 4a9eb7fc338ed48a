"""A real webhook receiver on loopback for tests and the bench: it records every POST (path,
headers, body, arrival time) and answers from a script of status codes (then 200), optionally
holding a request until released."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from api.delivery import Worker
from tests.servers import ROOT


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict
    body: bytes
    at: float  # time.time()

    @property
    def event_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    def __init__(self, statuses=(), hold_first: bool = False):
        self.received: list[Received] = []
        self.statuses = list(statuses)
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.holding = threading.Event()
        self._hold = hold_first
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with owner.lock:
                    owner.received.append(Received(self.path, {k.lower(): v for k, v in
                                                               self.headers.items()},
                                                   body, time.time()))
                    status = owner.statuses.pop(0) if owner.statuses else 200
                    hold, owner._hold = owner._hold, False
                if hold:
                    owner.holding.set()
                    owner.release.wait(30)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(list(self.received)):
                    return True
            time.sleep(0.02)
        return False

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


# Settings that let tests deliver to this receiver quickly (environment, PLANNER_ prefix).
FAST = {"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", "WEBHOOK_RETRY_BASE_SECONDS": 0.05,
        "WEBHOOK_TIMEOUT_SECONDS": 2, "WEBHOOK_LEASE_SECONDS": 5, "WEBHOOK_POLL_SECONDS": 0.05}


def deliver_process(database_url: str, name: str, **settings) -> subprocess.Popen:
    """``flask --app wsgi deliver`` in its own process, as `make run` starts it."""
    env = {**os.environ, "DATABASE_URL": database_url,
           **{f"PLANNER_{k}": str(v) for k, v in {**FAST, **settings}.items()}}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "deliver",
                             "--name", name], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def subscribe(client, headers, url, events=("version.published", "window.state_changed")):
    response = client.post("/api/v1/subscriptions", json={"url": url, "events": list(events)},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def deliver_until(app, done, rounds: int = 200):
    """Run delivery rounds in this process until ``done()``."""
    with app.app_context(), ThreadPoolExecutor(4) as pool:
        worker = Worker("test-worker", seed=1)
        for _ in range(rounds):
            worker.run_once(pool)
            if done():
                return
            time.sleep(0.02)
    raise AssertionError("not delivered")
