"""Real servers for API tests: a throwaway PostgreSQL cluster and gunicorn processes.

PostgreSQL comes from PG_URL / TEST_DATABASE_URL when set (CI exports it), else from Debian's
binaries (/usr/lib/postgresql/*/bin) started as user postgres in a temporary directory; when
neither works the PostgreSQL tests skip and say why.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """initdb + pg_ctl into a temp dir, as the postgres user, on a free loopback port."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise RuntimeError("no PostgreSQL binaries (apt-get install postgresql), and no "
                               "PG_URL/TEST_DATABASE_URL set")
        self.bin = Path(binaries[-1]).parent
        self.dir = tempfile.mkdtemp(prefix="pgtest-")
        self.port = free_port()
        shutil.chown(self.dir, "postgres")
        self._as_postgres([str(self.bin / "initdb"), "-D", self.dir + "/data", "-A", "trust",
                           "-U", "postgres", "--no-sync"])
        self._as_postgres([str(self.bin / "pg_ctl"), "-D", self.dir + "/data", "-w", "-l",
                           self.dir + "/log", "-o",
                           f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F", "start"])
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, argv):
        prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        result = subprocess.run(prefix + argv, capture_output=True, text=True, timeout=60)
        if result.returncode:
            raise RuntimeError(f"{argv[0]} failed: {result.stderr.strip()[-300:]}")

    def stop(self):
        self._as_postgres([str(self.bin / "pg_ctl"), "-D", self.dir + "/data", "-m", "fast",
                           "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


def _admin(server_url: str, sql: str) -> None:
    engine = sa.create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server; its URL."""
    name = "t_" + uuid.uuid4().hex[:12]
    _admin(server_url, f"CREATE DATABASE {name}")
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


def drop_database(server_url: str, url: str) -> None:
    """Drop a database made by fresh_database, even with connections still open to it."""
    _admin(server_url, f"DROP DATABASE IF EXISTS {url.rpartition('/')[2]} WITH (FORCE)")


class Gunicorn:
    """``gunicorn wsgi:app`` (threaded workers, as `make run`) on a free loopback port."""

    def __init__(self, database_url: str, workers: int = 2, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PLANNER_DATABASE_URL": database_url, **(extra_env or {})}
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", "2", "-b",
             f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited: " + Path(self.log.name).read_text()[-2000:])
            try:
                if requests.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:  # still booting
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.unlink(self.log.name)
