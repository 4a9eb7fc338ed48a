"""Reading the published schedule (reader role): current, versions, diffs, upcoming, a cluster."""
from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from . import db, formats, ical, ical_log, openapi, rendering, store
from .auth import requires
from .changes import diff_with_states
from .problems import Problem
from .schemas import (ClusterSchema, DiffQuerySchema, DiffSchema, ScheduleQuerySchema,
                      ScheduleSchema, UpcomingQuerySchema, UpcomingSchema, VersionSchema)
from .windows import WindowFilter, upcoming

blp = openapi.blueprint("schedule", __name__, "The published schedule (reader role).")


RENDERINGS = ("The windows as JSON (default), CSV (one row per window) or iCalendar (one "
              "VEVENT per window), by ?format= or Accept; with an ETag (If-None-Match: 304).")


def _alternatives(schema):
    """Document the JSON, CSV and iCalendar renderings of a view and its 304."""

    def decorate(func):
        func = blp.response(200, schema, description=RENDERINGS)(func)
        for media_type in ("text/csv", "text/calendar"):
            func = blp.alt_response(200, schema={"type": "string"}, content_type=media_type,
                                    description=RENDERINGS)(func)
        func = blp.alt_response(304, response="NOT_MODIFIED")(func)
        return formats.negotiated(*formats.MEDIA_TYPES.values())(func)

    return decorate


def _serve(version: int | None, query) -> object:
    return rendering.serve(version, query.filter, formats.choose(query.format))


@blp.route("/schedule")
class Schedule(MethodView):
    @requires("reader")
    @blp.arguments(ScheduleQuerySchema, location="query", unknown=ma.RAISE)
    @_alternatives(ScheduleSchema)
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
    @_alternatives(ScheduleSchema)
    def get(self, query, version):
        """One published version's schedule, as JSON, CSV or iCalendar, with filters"""
        return _serve(version, query)


@blp.route("/versions/<int:version>/diff")
class Diff(MethodView):
    @requires("reader")
    @blp.arguments(DiffQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, DiffSchema)
    @blp.alt_response(304, response="NOT_MODIFIED")
    def get(self, query, version):
        """What changed from version `against` (default: the one before) to this version"""
        against = query.get("against", version - 1)
        if against < 1:
            raise Problem(404, f"Version {version} is the first; name another with ?against=.",
                          kind="no-such-version")
        with db.reading() as conn:
            new = store.load_published(conn, version)
            old = store.load_published(conn, against)
            changes = diff_with_states(store.windows_of(conn, old), store.windows_of(conn, new))
        body = formats.to_json(DiffSchema().dump({"version": version, "against": against,
                                                  **changes}))
        return formats.conditional(body, formats.etag(body), formats.MEDIA_TYPES["json"])


def _upcoming_body(conn, publication, windows, fmt: str, now, hours: int) -> bytes:
    if fmt == "csv":
        return formats.to_csv(windows)
    if fmt == "ics":
        return ical.to_ical(windows, publication.version, publication.published_at,
                            ical_log.latest(conn, publication.version), current_app.config)
    return formats.to_json(UpcomingSchema().dump({
        "version": publication.version, "now": now, "hours": hours, "windows": windows}))


@blp.route("/upcoming")
class Upcoming(MethodView):
    @requires("reader")
    @blp.arguments(UpcomingQuerySchema, location="query", unknown=ma.RAISE)
    @_alternatives(UpcomingSchema)
    def get(self, query):
        """Windows running now, planned ones overdue, and those starting within `hours`"""
        now, fmt = db.now(), formats.choose(query.get("format"))
        wanted = WindowFilter(state=query.get("state"))
        with db.reading() as conn:
            head = store.head(conn)
            publication = store.load_published(conn, head.version)
            windows = [w for w in upcoming(store.windows_of(conn, publication), now,
                                           query["hours"]) if wanted.matches(w)]
            # Weak: the JSON body holds `now`; the windows it lists are what the tag names.
            tag = formats.etag(formats.to_json([fmt, publication.version, head.state_revision,
                                                query["hours"], [w["id"] for w in windows]]))
            body = _upcoming_body(conn, publication, windows, fmt, now, query["hours"])
        return formats.conditional(body, tag, formats.MEDIA_TYPES[fmt], weak=True)


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
    formats.init_app(app)
    openapi.register(app, blp)
