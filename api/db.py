"""Storage: one SQLAlchemy engine per app and process, the schema, and `flask init-db`.

The tables are declared here once; the migrations (api/migrations) build them, and a test
compares the migrated database with these declarations.

SQLite (a file in instance/) is the embedded default; PostgreSQL (psycopg 3) comes through
DATABASE_URL, where several API instances share one database. Writers take a lock before they
read what they will change: ``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite (the whole file), so concurrent publications and state changes serialise.
"""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext
import sqlalchemy as sa
from flask import Flask, current_app

if TYPE_CHECKING:
    from alembic.config import Config

metadata = sa.MetaData()

publications = sa.Table(
    "publications", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("plan", sa.Text, nullable=False),  # the plan document, canonical JSON text
    sa.Column("source_hash", sa.String(64), nullable=False),  # sha256 of the uploaded bytes
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("message", sa.String(500), nullable=False, server_default=""),
)

# One row (id 1): the version served as "current"; moved in the same transaction as the insert.
current_version = sa.Table(
    "current_version", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, sa.ForeignKey("publications.version"), nullable=True),
)

tokens = sa.Table(
    "tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

def _progress_columns() -> list[sa.Column]:
    """What a done or failed report adds: hosts that did not come back (count, names)."""
    return [sa.Column("failed_nodes", sa.Integer, nullable=False, server_default="0"),
            sa.Column("hosts", sa.Text, nullable=False, server_default="")]  # JSON list


# A window's latest state, valid for the window's start it was reported against.
window_states = sa.Table(
    "window_states", metadata,
    sa.Column("window_id", sa.String(200), primary_key=True),
    sa.Column("cluster", sa.String(200), nullable=False),
    sa.Column("start", sa.String(40), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("note", sa.String(1000), nullable=False, server_default=""),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    *_progress_columns(),
)

state_history = sa.Table(
    "state_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("window_id", sa.String(200), nullable=False, index=True),
    sa.Column("cluster", sa.String(200), nullable=False, index=True),
    sa.Column("start", sa.String(40), nullable=False),
    sa.Column("from_state", sa.String(20), nullable=False),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("note", sa.String(1000), nullable=False, server_default=""),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    *_progress_columns(),
)

# Validation runs of the live Google Sheet (api/live_sheet.py records them; /api/v1/draft reads).
sheet_runs = sa.Table(
    "sheet_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("spreadsheet_id", sa.String(200), nullable=False, index=True),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=True),
    sa.Column("problem", sa.Text, nullable=True),
    sa.Column("plan", sa.Text, nullable=True),  # the plan document, JSON text
)

_WHEN = sa.DateTime(timezone=True)

# Webhooks: who is told what, the events written with the change that caused them (the
# outbox), one delivery per event and subscription, and every attempt at one.
subscriptions = sa.Table(
    "subscriptions", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False, index=True),  # the token's name
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("events", sa.String(200), nullable=False),  # event types, space-separated
    sa.Column("secret", sa.String(100), nullable=False),  # whsec_...: signing needs it in clear
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),  # in a row
    sa.Column("disabled_at", _WHEN, nullable=True),
    sa.Column("disabled_reason", sa.String(500), nullable=False, server_default=""),
    # A delivery worker holds a subscription while it sends its events, so they go in order
    # and no two workers send the same one; a crashed worker's hold runs out.
    sa.Column("lease_until", _WHEN, nullable=True),
    sa.Column("leased_by", sa.String(100), nullable=True),
)

outbox = sa.Table(
    "outbox", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.String(40), nullable=False, unique=True),  # msg_..., webhook-id
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # the signed body, JSON text
    sa.Column("created_at", _WHEN, nullable=False),
)

deliveries = sa.Table(
    "deliveries", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("subscription_id", sa.String(40),
              sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # pending | delivered
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", _WHEN, nullable=False),
    sa.Column("delivered_at", _WHEN, nullable=True),
    sa.Index("deliveries_queue", "subscription_id", "status", "id"),
)

delivery_attempts = sa.Table(
    "delivery_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("delivery_id", sa.Integer, sa.ForeignKey("deliveries.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("subscription_id", sa.String(40), nullable=False, index=True),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("attempted_at", _WHEN, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),  # None: no HTTP answer
    sa.Column("latency_ms", sa.Integer, nullable=False),
    sa.Column("error", sa.String(500), nullable=False, server_default=""),
    sa.Column("worker", sa.String(100), nullable=False),
)

# Every change to a window as a calendar event: its SEQUENCE only rises, and a window that a
# version removed stays (cancelled) in the feed for a while.
calendar_changes = sa.Table(
    "calendar_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(200), nullable=False, index=True),  # the window id
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("sequence", sa.Integer, nullable=False),
    sa.Column("changed_at", _WHEN, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("cancelled", sa.Boolean, nullable=False),
    sa.Column("window", sa.Text, nullable=False),  # the window as last published, JSON text
)

# Secret calendar URLs: the URL alone reads the feed, so only its hash is kept.
feeds = sa.Table(
    "feeds", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False, index=True),
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("filters", sa.Text, nullable=False),  # JSON: cluster, region, geo
    sa.Column("created_at", _WHEN, nullable=False),
)

# window.upcoming sent once per window and start (the key makes two workers agree).
upcoming_notices = sa.Table(
    "upcoming_notices", metadata,
    sa.Column("window_id", sa.String(200), primary_key=True),
    sa.Column("start", sa.String(40), primary_key=True),
    sa.Column("sent_at", _WHEN, nullable=False),
)

MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(url: str) -> str:
    """PostgreSQL URLs as people write them, driven by psycopg 3 (not SQLAlchemy's psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> sa.Engine:
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" below issue BEGIN itself (pysqlite's own is deferred, late).
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write")
                             else "BEGIN")

    return engine


def engine() -> sa.Engine:
    """This process's engine (created on first use, so forked gunicorn workers get their own)."""
    holder = current_app.extensions["planner_db"]
    if holder.get("pid") != os.getpid():
        holder.update(engine=make_engine(current_app.config["DATABASE_URL"]), pid=os.getpid())
    return holder["engine"]


@contextmanager
def reading():
    with engine().connect() as conn, conn.begin():
        yield conn


@contextmanager
def writing():
    """A write transaction: callers lock rows with FOR UPDATE (a no-op on SQLite, which locks)."""
    with engine().connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            yield conn


def now() -> dt.datetime:
    """The app's clock (config NOW fixes it), in UTC to the second."""
    when = current_app.config["NOW"] or dt.datetime.now(dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).replace(microsecond=0)



def utc(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as aware UTC (SQLite hands them back naive)."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None \
        else value.astimezone(dt.timezone.utc)


def config() -> Config:
    """Alembic's configuration, without an alembic.ini: the scripts live in api/migrations."""
    from alembic.config import Config  # only migrations need alembic: the app starts without it

    alembic = Config()
    alembic.set_main_option("script_location", str(MIGRATIONS))
    return alembic


def migrate(url: str) -> None:
    """Create or upgrade the schema to the newest migration; running it again changes nothing."""
    from alembic import command

    alembic = config()
    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                alembic.attributes["connection"] = conn
                command.upgrade(alembic, "head")
    finally:
        eng.dispose()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or migrate the database schema (idempotent)."""
    url = current_app.config["DATABASE_URL"]
    migrate(url)
    click.echo(f"database ready: {sa.make_url(normalise_url(url)).render_as_string()}")


def init_app(app: Flask) -> None:
    app.extensions["planner_db"] = {}
    app.cli.add_command(init_db_command)
