"""Calendar subscriptions: a secret URL per consumer and filter, for calendar apps (Google
Calendar, Outlook, Apple Calendar) that subscribe by URL alone and send no Authorization header.

``POST /feeds`` (reader) answers with ``/api/v1/feeds/<secret>.ics``: the secret is 192 random
bits, stored only as its SHA-256, so it is shown once; ``DELETE /feeds/{id}`` revokes it (the URL
then answers 404). The feed is the current version's iCalendar (api.ical) with the filters saved.
"""
from __future__ import annotations

import hashlib
import json
import secrets

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app, url_for
from flask.views import MethodView
from marshmallow import fields, validate
from werkzeug.routing import BaseConverter

from . import db, formats, openapi, rendering
from .auth import current_consumer, requires
from .problems import Problem, consumes
from .windows import WindowFilter

blp = openapi.blueprint("feeds", __name__, "Calendar subscriptions by secret URL.")
FILTERS = ("cluster", "region", "geo")


class FeedId(BaseConverter):
    """A feed's id, never a secret URL's last segment (``<secret>.ics``)."""

    regex = r"feed_[0-9a-f]{16}"


class NewFeedSchema(ma.Schema):
    cluster = fields.String(validate=validate.Length(min=1, max=200))
    region = fields.String(validate=validate.Length(min=1, max=200))
    geo = fields.String(validate=validate.Length(min=1, max=50))


class FeedSchema(ma.Schema):
    id = fields.String(required=True)
    owner = fields.String(required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    created_at = fields.DateTime(required=True)


class CreatedFeedSchema(FeedSchema):
    url = fields.String(required=True, metadata={
        "description": "the secret feed URL; needs no token; shown only in this answer"})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _shown(row) -> dict:
    return {"id": row.id, "owner": row.owner, "filters": json.loads(row.filters),
            "created_at": db.utc(row.created_at)}


@blp.route("/feeds")
class Feeds(MethodView):
    @requires("reader")
    @consumes("application/json")
    @blp.arguments(NewFeedSchema)
    @blp.response(201, CreatedFeedSchema)
    def post(self, filters):
        """A secret calendar URL for the current schedule, with filters saved in it"""
        secret, feed_id = secrets.token_urlsafe(24), f"feed_{secrets.token_hex(8)}"
        with db.writing() as conn:
            conn.execute(sa.insert(db.feeds).values(
                id=feed_id, owner=current_consumer().name, secret_hash=_hash(secret),
                filters=json.dumps(filters, sort_keys=True), created_at=db.now()))
            row = conn.execute(sa.select(db.feeds).where(db.feeds.c.id == feed_id)).one()
        url = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("feeds.Feed", secret=secret)
        return {**_shown(row), "url": url}, 201

    @requires("reader")
    @blp.response(200, FeedSchema(many=True))
    def get(self):
        """Your calendar feeds (a planner: everyone's); their URLs are not shown again"""
        me, query = current_consumer(), sa.select(db.feeds).order_by(db.feeds.c.created_at,
                                                                      db.feeds.c.id)
        if not me.may("planner"):
            query = query.where(db.feeds.c.owner == me.name)
        with db.reading() as conn:
            return [_shown(row) for row in conn.execute(query)]


@blp.route("/feeds/<feed_id:feed_id>")
class FeedAdmin(MethodView):
    @requires("reader")
    @blp.response(204)
    def delete(self, feed_id):
        """Revoke a calendar feed: its URL answers 404 from now on"""
        me, feeds = current_consumer(), db.feeds
        mine = feeds.c.id == feed_id
        if not me.may("planner"):
            mine = mine & (feeds.c.owner == me.name)
        with db.writing() as conn:
            if not conn.execute(sa.delete(feeds).where(mine)).rowcount:
                raise Problem(404, f"No calendar feed {feed_id!r} of yours; GET /api/v1/feeds "
                              "lists them.", kind="no-such-feed")


@blp.route("/feeds/<string:secret>.ics")
class Feed(MethodView):
    @formats.negotiated(formats.MEDIA_TYPES["ics"])
    @blp.doc(security=[])
    @blp.response(200, {"type": "string"}, content_type="text/calendar",
                  description="The feed (RFC 5545); with an ETag (If-None-Match: 304)")
    @blp.alt_response(304, response="NOT_MODIFIED")
    def get(self, secret):
        """The calendar feed behind a secret URL (no token: the URL is the credential)"""
        with db.reading() as conn:
            row = conn.execute(sa.select(db.feeds.c.filters).where(
                db.feeds.c.secret_hash == _hash(secret))).first()
        if row is None:
            raise Problem(404, "No calendar feed at this URL: it was revoked, or never "
                          "existed. Ask for a new one (POST /api/v1/feeds).", kind="no-such-feed")
        wanted = WindowFilter(**{k: v for k, v in json.loads(row.filters).items()
                                 if k in FILTERS})
        return rendering.serve(None, wanted, "ics")


def init_app(app) -> None:
    app.url_map.converters["feed_id"] = FeedId
    app.extensions["planner_api"].register_converter(
        FeedId, lambda _: {"type": "string", "pattern": f"^{FeedId.regex}$"})
    openapi.register(app, blp)
