"""Reading the published schedule (reader role): current, versions, diffs, upcoming, a cluster."""
from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from . import db, formats, openapi, store
from .auth import requires
from .problems import Problem
from .schemas import (ClusterSchema, DiffQuerySchema, DiffSchema, ScheduleQuerySchema,
                      ScheduleSchema, UpcomingQuerySchema, UpcomingSchema, VersionSchema)
from .windows import diff, upcoming

blp = openapi.blueprint("schedule", __name__, "The published schedule (reader role).")


RENDERINGS = ("The windows as JSON (default), CSV (one row per window) or iCalendar (one "
              "VEVENT per window), by ?format= or Accept; with a strong ETag.")


def _alternatives(func):
    """Document the JSON, CSV and iCalendar renderings of a schedule and the 304."""
    func = blp.response(200, ScheduleSchema, description=RENDERINGS)(func)
    for media_type in ("text/csv", "text/calendar"):
        func = blp.alt_response(200, schema={"type": "string"}, content_type=media_type,
                                description=RENDERINGS)(func)
    return blp.alt_response(304, response="NOT_MODIFIED")(func)


def _render(publication: store.Publication, windows: list[dict], fmt: str) -> bytes:
    if fmt == "csv":
        return formats.to_csv(windows)
    if fmt == "ics":
        return formats.to_ical(windows, publication.version, publication.published_at,
                               current_app.config)
    return formats.to_json(ScheduleSchema().dump({
        "version": publication.version, "published_at": publication.published_at,
        "windows": windows}))


def _serve(version: int | None, query) -> object:
    """A version's windows, filtered and rendered; renderings are cached per state revision."""
    fmt = formats.choose(query.format)
    cache = current_app.extensions["planner_db"].setdefault("rendered", {})
    with db.reading() as conn:
        head = store.head(conn)
        publication = store.load_published(conn, head.version if version is None else version)
        key = (publication.version, head.state_revision, fmt, query.filter.key())
        entry = cache.get(key)  # read once: another thread may clear the cache meanwhile
        if entry is None:
            windows = [w for w in store.windows_of(conn, publication) if query.filter.matches(w)]
            changed = max(filter(None, (publication.published_at, head.states_changed_at)))
            body = _render(publication, windows, fmt)
            entry = (body, formats.etag(body), changed)
            if len(cache) > 256:
                cache.clear()
            cache[key] = entry
    body, tag, last_modified = entry
    return formats.conditional(body, tag, fmt, last_modified)


@blp.route("/schedule")
class Schedule(MethodView):
    @requires("reader")
    @blp.arguments(ScheduleQuerySchema, location="query", unknown=ma.RAISE)
    @_alternatives
    def get(self, query):
        """The current schedule as JSON, CSV or iCalendar, with filters"""
        return _serve(None, query)


@blp.route("/versions")
class Versions(MethodView):
    @requires("reader")
    @blp.response(200, VersionSchema(many=True))
    def get(self):
        """Every published version, newest first"""
        with db.reading() as conn:
            return store.versions(conn)


@blp.route("/versions/<int:version>")
class Version(MethodView):
    @requires("reader")
    @blp.arguments(ScheduleQuerySchema, location="query", unknown=ma.RAISE)
    @_alternatives
    def get(self, query, version):
        """One published version's schedule, as JSON, CSV or iCalendar, with filters"""
        return _serve(version, query)


@blp.route("/versions/<int:version>/diff")
class Diff(MethodView):
    @requires("reader")
    @blp.arguments(DiffQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, DiffSchema)
    def get(self, query, version):
        """What changed from version `against` to this version"""
        with db.reading() as conn:
            new = store.load_published(conn, version)
            old = store.load_published(conn, query["against"])
            changes = diff(store.windows_of(conn, old), store.windows_of(conn, new))
        return {"version": version, "against": query["against"], **changes}


@blp.route("/upcoming")
class Upcoming(MethodView):
    @requires("reader")
    @blp.arguments(UpcomingQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, UpcomingSchema)
    def get(self, query):
        """Windows of the current version starting within the next `hours`"""
        now = db.now()
        with db.reading() as conn:
            publication = store.load_published(conn, store.head(conn).version)
            windows = upcoming(store.windows_of(conn, publication), now, query["hours"])
        return {"version": publication.version, "now": now, "hours": query["hours"],
                "windows": windows}


@blp.route("/clusters/<string:cluster>")
class Cluster(MethodView):
    @requires("reader")
    @blp.response(200, ClusterSchema)
    def get(self, cluster):
        """A cluster's windows in the current version, their states and the state history"""
        with db.reading() as conn:
            publication = store.load_published(conn, store.head(conn).version)
            mine = [w for w in store.windows_of(conn, publication)
                    if w["cluster"].lower() == cluster.lower()]
            history = store.history(conn, cluster)

        def listed(key):
            return [e for e in publication.document.get(key, [])
                    if str(e.get("cluster", "")).lower() == cluster.lower()]

        excluded, unscheduled = listed("excluded"), listed("unscheduled")
        if not (mine or excluded or unscheduled or history):
            raise Problem(404, f"No cluster {cluster!r} in version {publication.version}.",
                          kind="no-such-cluster")
        name = next((e["cluster"] for e in mine + excluded + unscheduled), cluster)
        return {"cluster": name, "version": publication.version, "windows": mine,
                "excluded": excluded, "unscheduled": unscheduled, "history": history}


def init_app(app) -> None:
    openapi.register(app, blp)
