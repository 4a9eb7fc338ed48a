"""The delivery worker (``flask --app wsgi deliver``): sends the outbox's events to their
subscribers, signed per the Standard Webhooks spec, at least once and in order per subscription.

How several workers share one database: a worker leases a subscription (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL; SQLite's write lock serialises the claim) for ``WEBHOOK_LEASE_SECONDS``,
sends its due events oldest first, and records each answer before the next, renewing the lease.
No other worker touches that subscription meanwhile, so no attempt is sent twice at once; a
worker that dies mid-delivery loses its lease when it runs out and another (or the restarted
one) sends the event again: receivers drop duplicates by ``webhook-id``.

A failed attempt (no answer within ``WEBHOOK_TIMEOUT_SECONDS``, or a status other than 2xx) is
retried after an exponential backoff with jitter, between half and all of
``min(WEBHOOK_RETRY_MAX_SECONDS, WEBHOOK_RETRY_BASE_SECONDS * 2**(n-1))`` seconds after the
n-th failure; later events of that subscription wait behind it, so order is kept. After
``WEBHOOK_DISABLE_AFTER`` failed attempts in a row the subscription is disabled (its events
stay queued; redelivering one enables it again).
"""
from __future__ import annotations

import datetime as dt
import os
import random
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from . import db, netguard, notices
from .outbox import instant

if TYPE_CHECKING:  # only the worker sends: the API starts without the HTTP client
    import requests

RUN = 100  # events sent to one subscription per lease, at most


@dataclass(frozen=True)
class Policy:
    timeout: float
    base: float
    cap: float
    disable_after: int
    lease: float
    allowed: list

    @classmethod
    def of(cls, config) -> Policy:
        return cls(float(config["WEBHOOK_TIMEOUT_SECONDS"]),
                   float(config["WEBHOOK_RETRY_BASE_SECONDS"]),
                   float(config["WEBHOOK_RETRY_MAX_SECONDS"]),
                   int(config["WEBHOOK_DISABLE_AFTER"]),
                   # the lease outlives an attempt, or a slow receiver would see it twice
                   max(float(config["WEBHOOK_LEASE_SECONDS"]),
                       float(config["WEBHOOK_TIMEOUT_SECONDS"]) * 2 + 1),
                   netguard.allowed_networks(config["WEBHOOK_ALLOWED_NETWORKS"]))

    def backoff(self, failures: int, rand: random.Random) -> float:
        """Seconds to wait after the ``failures``-th failed attempt (1, 2, ...)."""
        ceiling = min(self.cap, self.base * 2 ** (failures - 1))
        return ceiling * (0.5 + rand.random() / 2)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def send(url: str, secret: str, event_id: str, body: str, policy: Policy,
         session: requests.Session) -> Outcome:
    """One signed POST; its outcome (never raises for network trouble)."""
    import requests
    from standardwebhooks import Webhook

    started = time.monotonic()
    signed_at = dt.datetime.now(dt.timezone.utc)  # the real clock: receivers check it
    headers = {"content-type": "application/json", "user-agent": "maintenance-planner",
               "webhook-id": event_id, "webhook-timestamp": str(int(signed_at.timestamp())),
               "webhook-signature": Webhook(secret).sign(event_id, signed_at, body)}
    try:
        netguard.check(url, policy.allowed)  # again: the name may resolve elsewhere by now
        answer = session.post(url, data=body.encode(), headers=headers,
                              timeout=policy.timeout, allow_redirects=False)
        code, error = answer.status_code, "" if answer.ok else f"HTTP {answer.status_code}"
    except netguard.RefusedURL as refused:
        code, error = None, str(refused)
    except requests.RequestException as failure:
        code, error = None, f"{type(failure).__name__}: {failure}"[:500]
    return Outcome(code, round((time.monotonic() - started) * 1000), error)


class Worker:
    """One delivery process; ``name`` is recorded with every attempt it makes."""

    def __init__(self, name: str | None = None, seed: int | None = None):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.policy = Policy.of(current_app.config)
        self.rand = random.Random(seed)
        self.app = current_app._get_current_object()

    def claim(self, limit: int) -> list[sa.Row]:
        """Lease up to ``limit`` enabled subscriptions whose oldest pending event is due."""
        subs, dels = db.subscriptions, db.deliveries
        now = instant()
        queued = dels.alias("queued")
        head = (sa.select(sa.func.min(queued.c.id))
                .where(queued.c.subscription_id == subs.c.id, queued.c.status == "pending")
                .correlate(subs).scalar_subquery())
        due = sa.exists().where(dels.c.id == head, dels.c.next_attempt_at <= now)
        with db.reading() as conn:  # idle rounds take no write lock (SQLite has one)
            if conn.execute(sa.select(dels.c.id).where(
                    dels.c.status == "pending", dels.c.next_attempt_at <= now).limit(1)
                    ).first() is None:
                return []
        with db.writing() as conn:
            rows = conn.execute(
                sa.select(subs.c.id, subs.c.url, subs.c.secret).where(
                    subs.c.disabled_at.is_(None), due,
                    sa.or_(subs.c.lease_until.is_(None), subs.c.lease_until < now))
                .order_by(subs.c.id).limit(limit)
                .with_for_update(of=subs, skip_locked=True)).all()
            if rows:
                conn.execute(sa.update(subs).where(subs.c.id.in_([r.id for r in rows]))
                             .values(lease_until=now + dt.timedelta(seconds=self.policy.lease),
                                     leased_by=self.name))
        return rows

    def serve(self, sub: sa.Row) -> int:
        """Send ``sub``'s due events in order until one fails; how many attempts were made."""
        import requests

        with self.app.app_context(), requests.Session() as session:
            try:
                return self._serve(sub, session)
            finally:
                with db.writing() as conn:
                    conn.execute(sa.update(db.subscriptions).where(
                        db.subscriptions.c.id == sub.id,
                        db.subscriptions.c.leased_by == self.name).values(
                        lease_until=None, leased_by=None))

    def _serve(self, sub: sa.Row, session: requests.Session) -> int:
        dels, out = db.deliveries, db.outbox
        with db.reading() as conn:
            queue = conn.execute(
                sa.select(dels.c.id, dels.c.attempts, dels.c.next_attempt_at, out.c.event_id,
                          out.c.payload)
                .join(out, out.c.id == dels.c.outbox_id)
                .where(dels.c.subscription_id == sub.id, dels.c.status == "pending")
                .order_by(dels.c.id).limit(RUN)).all()
        sent = 0
        for item in queue:
            if db.utc(item.next_attempt_at) > instant():
                break  # waiting for its retry: the ones behind it wait too
            outcome = send(sub.url, sub.secret, item.event_id, item.payload, self.policy,
                           session)
            sent += 1
            if not self.record(sub.id, item, outcome) or not outcome.ok:
                break
        return sent

    def record(self, sub_id: str, item: sa.Row, outcome: Outcome) -> bool:
        """Store an attempt and its consequences; False when the lease was lost meanwhile."""
        subs, dels = db.subscriptions, db.deliveries
        now = instant()
        with db.writing() as conn:
            held = conn.execute(sa.select(subs.c.failures).where(
                subs.c.id == sub_id, subs.c.leased_by == self.name).with_for_update()).first()
            if held is None:
                return False
            attempt = item.attempts + 1
            conn.execute(sa.insert(db.delivery_attempts).values(
                delivery_id=item.id, subscription_id=sub_id, attempt=attempt,
                attempted_at=now, status_code=outcome.status_code,
                latency_ms=outcome.latency_ms, error=outcome.error, worker=self.name))
            lease = {"lease_until": now + dt.timedelta(seconds=self.policy.lease)}
            if outcome.ok:
                conn.execute(sa.update(dels).where(dels.c.id == item.id).values(
                    status="delivered", attempts=attempt, delivered_at=now))
                conn.execute(sa.update(subs).where(subs.c.id == sub_id)
                             .values(failures=0, **lease))
                return True
            failures = held.failures + 1
            wait = dt.timedelta(seconds=self.policy.backoff(attempt, self.rand))
            conn.execute(sa.update(dels).where(dels.c.id == item.id).values(
                attempts=attempt, next_attempt_at=now + wait))
            disable = failures >= self.policy.disable_after
            conn.execute(sa.update(subs).where(subs.c.id == sub_id).values(
                failures=failures, **lease, **({"disabled_at": now, "disabled_reason": (
                    f"disabled after {failures} failed attempts in a row; last: "
                    f"{outcome.error}")[:500]} if disable else {})))
            return True

    def run_once(self, pool: ThreadPoolExecutor) -> int:
        """One round: announce windows coming up, lease subscriptions, send; attempts made."""
        with self.app.app_context():
            notices.announce_upcoming()
        leased = self.claim(current_app.config["WEBHOOK_WORKER_THREADS"])
        return sum(pool.map(self.serve, leased))


@click.command("deliver")
@with_appcontext
@click.option("--once", is_flag=True, help="One round, then exit (for cron and tests).")
@click.option("--name", help="This worker's name in the attempts log (default host:pid).")
def deliver_command(once: bool, name: str | None):
    """Send queued webhook events to their subscribers until stopped (Ctrl-C, SIGTERM)."""
    worker = Worker(name)
    threads = current_app.config["WEBHOOK_WORKER_THREADS"]
    click.echo(f"delivery worker {worker.name}: {threads} threads", err=True)
    with ThreadPoolExecutor(threads) as pool:
        while True:
            try:
                attempts = worker.run_once(pool)
            except sa.exc.SQLAlchemyError as error:
                # The database is away or busy: what was not recorded is sent again later.
                click.echo(f"delivery round failed, retrying: {error}", err=True)
                attempts = 0
            if once:
                return
            if not attempts:
                time.sleep(float(current_app.config["WEBHOOK_POLL_SECONDS"]))


def init_app(app) -> None:
    app.cli.add_command(deliver_command)
