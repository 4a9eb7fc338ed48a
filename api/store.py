"""Reading and writing publications and window states (the imperative shell around api.windows).

A publication is immutable once written, so its parsed plan is cached per process forever; what
changes (the current pointer, states) is read on every request, in one small query.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app

from rules.contract import setting

from . import changes, db
from .errors import Conflict, InvalidReport, NotFound
from .windows import (StateChange, StateRecord, allowed_next, state_of, transition_error,
                      with_states)

_RETRIES = 5
DEFAULT_FREEZE_HOURS = setting("freeze_hours").default  # for versions planned before the clock
T = TypeVar("T")
MAX_VERSION = 2**31 - 1  # an SQL INTEGER; larger numbers name no version


@dataclass(frozen=True)
class Publication:
    version: int
    source_hash: str
    who: str
    published_at: dt.datetime
    message: str
    document: dict

    @property
    def windows(self) -> list[dict]:
        return self.document.get("windows", [])

    @functools.cached_property
    def windows_with_ids(self) -> list[dict]:
        return with_states(self.windows, {})


@dataclass(frozen=True)
class Head:
    """What a read depends on: the current version and the latest state change."""

    version: int | None
    published_at: dt.datetime | None
    state_revision: int
    states_changed_at: dt.datetime | None


def canonical_json(document: dict) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Stale(Exception):
    """The current version or a state changed after the plan read them: plan again."""


def insert_publication(document: dict, source_hash: str, who: str, message: str,
                       planned_from: Head | None = None) -> Publication:
    """Store a new version and make it current, atomically; versions are consecutive. With
    ``planned_from`` (the head the plan read its progress at), raise Stale when another version
    or a state report came in since, so no report is lost or regressed."""
    text = canonical_json(document)

    def insert(conn) -> Publication:
        # Serialises publishers on PostgreSQL; SQLite's BEGIN IMMEDIATE already did.
        previous = conn.execute(sa.select(db.current_version.c.version)
                                .where(db.current_version.c.id == 1).with_for_update()).scalar()
        if planned_from is not None:
            now = head(conn)
            if (now.version, now.state_revision) != (planned_from.version,
                                                     planned_from.state_revision):
                raise Stale()
        latest = conn.execute(sa.select(sa.func.max(db.publications.c.version))).scalar()
        version, when = (latest or 0) + 1, db.now()
        conn.execute(sa.insert(db.publications).values(
            version=version, plan=text, source_hash=source_hash, who=who,
            published_at=when, message=message))
        conn.execute(sa.update(db.current_version).where(db.current_version.c.id == 1)
                     .values(version=version))
        publication = Publication(version, source_hash, who, when, message, json.loads(text))
        changes.published(conn, publication, previous and load(conn, previous),
                          state_records(conn))
        return publication

    return _writing_retried(insert)


def _writing_retried(work: Callable[[sa.Connection], T]) -> T:
    """``work`` in one write transaction, run again when it lost a race on a unique key (another
    publisher took the version number, or reported a window's state first): the next attempt
    sees what the winner wrote. The last attempt's error is raised."""
    for _ in range(_RETRIES - 1):
        try:
            with db.writing() as conn:
                return work(conn)
        except sa.exc.IntegrityError:
            continue
    with db.writing() as conn:
        return work(conn)


def head(conn) -> Head:
    cur, pub, hist = db.current_version, db.publications, db.state_history
    # The newest history row by primary key: an index lookup, not a scan (this runs per read).
    last = sa.select(hist.c.id, hist.c.changed_at).order_by(hist.c.id.desc()).limit(1).subquery()
    row = conn.execute(
        sa.select(cur.c.version, pub.c.published_at, last.c.id, last.c.changed_at)
        .select_from(cur.outerjoin(pub, pub.c.version == cur.c.version)
                     .outerjoin(last, sa.true()))
        .where(cur.c.id == 1)).one()
    return Head(row[0], row[1] and db.utc(row[1]), row[2] or 0, row[3] and db.utc(row[3]))


def _plans() -> dict:
    return current_app.extensions["planner_db"].setdefault("plans", {})


def load(conn, version: int) -> Publication | None:
    cache = _plans()
    cached = cache.get(version)  # one read: another thread may clear the cache meanwhile
    if cached is not None:
        return cached
    if not 1 <= version <= MAX_VERSION:
        return None
    row = conn.execute(sa.select(db.publications).where(
        db.publications.c.version == version)).first()
    if row is None:
        return None
    publication = Publication(row.version, row.source_hash, row.who, db.utc(row.published_at),
                              row.message, json.loads(row.plan))
    if len(cache) > 64:
        cache.clear()
    cache[version] = publication
    return publication


def load_published(conn, version: int | None) -> Publication:
    """The version, or NotFound saying that nothing or no such version was published."""
    if version is None:
        raise NotFound("No schedule has been published yet; a planner publishes one with "
                       "POST /api/v1/publications.", kind="nothing-published")
    publication = load(conn, version)
    if publication is None:
        raise NotFound(f"There is no version {version}; GET /api/v1/versions lists them.",
                       kind="no-such-version")
    return publication


def versions(conn) -> list[dict]:
    pub = db.publications
    current = conn.execute(sa.select(db.current_version.c.version)).scalar()
    rows = conn.execute(sa.select(pub.c.version, pub.c.source_hash, pub.c.who,
                                  pub.c.published_at, pub.c.message)
                        .order_by(pub.c.version.desc())).all()
    return [{"version": r.version, "source_hash": r.source_hash, "who": r.who,
             "published_at": db.utc(r.published_at), "message": r.message,
             "current": r.version == current} for r in rows]


def _record(row) -> StateRecord:
    return StateRecord(row.state, row.start, row.note, row.who,
                       db.utc(row.changed_at).isoformat(), row.failed_nodes,
                       tuple(json.loads(row.hosts)) if row.hosts else ())


def state_records(conn) -> dict[str, StateRecord]:
    rows = conn.execute(sa.select(db.window_states)).all()
    return {row.window_id: _record(row) for row in rows}


def windows_of(conn, publication: Publication) -> list[dict]:
    """The version's windows with ids, their states and the note that came with each state."""
    return changes.shown(publication.windows, state_records(conn))


def change_state(window_id: str, change: StateChange, who: str) -> dict:
    """Move a window of the current version to a new state, or say why not (NotFound, Conflict)."""
    return _writing_retried(lambda conn: _change_state(conn, window_id, change, who))


def _change_state(conn, window_id: str, change: StateChange, who: str) -> dict:
    publication = load_published(conn, head(conn).version)
    window = next((w for w in publication.windows_with_ids if w["id"] == window_id), None)
    if window is None:
        raise NotFound(f"No window {window_id!r} in the current version "
                       f"({publication.version}); ids are listed by GET /api/v1/schedule.",
                       kind="no-such-window")
    states = db.window_states
    row = conn.execute(sa.select(states).where(states.c.window_id == window_id)
                       .with_for_update()).first()
    record = row and _record(row)
    current = state_of(window, record)
    if current == change.state and change.repeats(record, window):
        hist = db.state_history
        before = conn.execute(sa.select(hist.c.from_state).where(hist.c.window_id == window_id)
                              .order_by(hist.c.id.desc()).limit(1)).scalar()
        return _reported(window, record, before)
    why = transition_error(current, change.state) or _too_early(window, change, publication)
    if why:
        raise Conflict(why, kind="illegal-transition", state=current,
                       allowed=list(allowed_next(current)))
    if change.problem(window):
        raise InvalidReport(change.problem(window), kind="bad-report",
                            errors={"failed_nodes": [change.problem(window)]})
    when = db.now()
    values = {"cluster": window["cluster"], "start": window["start"], "state": change.state,
              "note": change.note, "who": who, "changed_at": when,
              "failed_nodes": change.failed_count(window),
              "hosts": json.dumps(list(change.hosts)) if change.hosts else ""}
    if row is None:
        conn.execute(sa.insert(states).values(window_id=window_id, **values))
    else:
        conn.execute(sa.update(states).where(states.c.window_id == window_id).values(**values))
    conn.execute(sa.insert(db.state_history).values(
        window_id=window_id, from_state=current, to_state=change.state,
        version=publication.version, **{k: v for k, v in values.items() if k != "state"}))
    changes.state_changed(conn, publication.version,
                          {**window, "state": change.state, "note": change.note}, current, who,
                          when, values["failed_nodes"])
    return _reported(window, StateRecord(change.state, window["start"], change.note, who,
                                         when.isoformat(), values["failed_nodes"],
                                         change.hosts), current)


def _reported(window: dict, record: StateRecord, previous: str) -> dict:
    return {**window, "state": record.state, "previous_state": previous, "note": record.note,
            "who": record.who, "changed_at": dt.datetime.fromisoformat(record.changed_at),
            "failed_nodes": record.failed_nodes, "hosts": list(record.hosts)}


def _too_early(window: dict, change: StateChange, publication: Publication) -> str | None:
    """in_progress more than freeze_hours before the window's start is refused: nobody has
    prepared for it yet (the plan may still move it)."""
    freeze = publication.document.get("as_of", {}).get("freeze_hours", DEFAULT_FREEZE_HOURS)
    opens = dt.datetime.fromisoformat(window["start"]) - dt.timedelta(hours=freeze)
    if change.state == "in_progress" and db.now() < opens:
        return (f"Window {window['id']} starts at {window['start']}: it cannot be in_progress "
                f"before {opens.isoformat()} (freeze_hours {freeze} before its start).")
    return None


def reported_on(conn, version: int) -> bool:
    hist = db.state_history
    return conn.execute(sa.select(hist.c.id).where(hist.c.version == version).limit(1)).first() \
        is not None


def history(conn, cluster: str) -> list[dict]:
    hist = db.state_history
    rows = conn.execute(sa.select(hist).where(sa.func.lower(hist.c.cluster) == cluster.lower())
                        .order_by(hist.c.id)).all()
    return [{"window_id": r.window_id, "start": r.start, "from_state": r.from_state,
             "to_state": r.to_state, "note": r.note, "who": r.who,
             "changed_at": db.utc(r.changed_at), "version": r.version,
             "failed_nodes": r.failed_nodes, "hosts": json.loads(r.hosts) if r.hosts else []}
            for r in rows]
