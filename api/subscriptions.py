"""Webhook subscriptions (any token, for itself; a planner sees and manages every one).

``POST /subscriptions`` answers with the signing secret, shown once; deliveries and their
attempts are listed per subscription, and one can be sent again (which re-enables a disabled
subscription). Sending is the delivery worker's job (api.delivery).
"""
from __future__ import annotations

import base64
import secrets

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app, url_for
from flask.views import MethodView
from marshmallow import fields, validate

from . import db, netguard, openapi
from .auth import current_consumer, requires
from .outbox import EVENT_TYPES, instant
from .problems import Problem, consumes

blp = openapi.blueprint("subscriptions", __name__,
                        "Webhook subscriptions: be told of publications and state changes.")


class NewSubscriptionSchema(ma.Schema):
    url = fields.Url(required=True, schemes={"http", "https"}, validate=validate.Length(max=2000))
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True,
                         validate=validate.Length(min=1, max=len(EVENT_TYPES)))


class SubscriptionSchema(ma.Schema):
    id = fields.String(required=True)
    owner = fields.String(required=True, metadata={"description": "the token's name"})
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)
    enabled = fields.Boolean(required=True)
    failures = fields.Integer(required=True, metadata={"description": "failed attempts in a row"})
    disabled_at = fields.DateTime(allow_none=True)
    disabled_reason = fields.String(required=True)
    pending = fields.Integer(required=True, metadata={"description": "events not yet delivered"})


class CreatedSubscriptionSchema(SubscriptionSchema):
    secret = fields.String(required=True, metadata={
        "description": "whsec_...: verifies webhook-signature; shown only in this answer"})


class AttemptSchema(ma.Schema):
    delivery_id = fields.Integer(required=True)
    event_id = fields.String(required=True, metadata={"description": "the webhook-id header"})
    type = fields.String(required=True)
    delivery_status = fields.String(required=True, metadata={"description": "pending|delivered"})
    attempt = fields.Integer(required=True)
    attempted_at = fields.DateTime(required=True)
    status_code = fields.Integer(allow_none=True, metadata={"description": "None: no answer"})
    latency_ms = fields.Integer(required=True)
    error = fields.String(required=True)
    worker = fields.String(required=True)


class AttemptsQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


def _owned(conn, sub_id: str):
    subs = db.subscriptions
    row = conn.execute(sa.select(subs).where(subs.c.id == sub_id)).first()
    me = current_consumer()
    if row is None or not (me.may("planner") or row.owner == me.name):
        raise Problem(404, f"No subscription {sub_id!r} of yours; GET /api/v1/subscriptions "
                      "lists them.", kind="no-such-subscription")
    return row


def _pending(conn) -> dict[str, int]:
    dels = db.deliveries
    return dict(conn.execute(sa.select(dels.c.subscription_id, sa.func.count())
                             .where(dels.c.status == "pending")
                             .group_by(dels.c.subscription_id)).all())


def _shown(row, pending: dict[str, int]) -> dict:
    return {"id": row.id, "owner": row.owner, "url": row.url, "events": row.events.split(),
            "created_at": db.utc(row.created_at), "enabled": row.disabled_at is None,
            "failures": row.failures, "disabled_at": row.disabled_at and db.utc(row.disabled_at),
            "disabled_reason": row.disabled_reason, "pending": pending.get(row.id, 0)}


def new_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @requires("reader")
    @consumes("application/json")
    @blp.arguments(NewSubscriptionSchema)
    @blp.response(201, CreatedSubscriptionSchema)
    def post(self, new):
        """Subscribe a URL to events; the answer holds the signing secret, shown once"""
        try:
            netguard.check(new["url"], netguard.allowed_networks(
                current_app.config["WEBHOOK_ALLOWED_NETWORKS"]))
        except netguard.RefusedURL as refused:
            raise Problem(422, str(refused), kind="refused-url") from None
        sub_id, secret = "sub_" + secrets.token_hex(8), new_secret()
        with db.writing() as conn:
            conn.execute(sa.insert(db.subscriptions).values(
                id=sub_id, owner=current_consumer().name, url=new["url"],
                events=" ".join(sorted(set(new["events"]))), secret=secret,
                created_at=db.now()))
            row = _owned(conn, sub_id)
        location = url_for("subscriptions.Subscription", sub_id=sub_id)
        return {**_shown(row, {}), "secret": secret}, 201, {"Location": location}

    @requires("reader")
    @blp.response(200, SubscriptionSchema(many=True))
    def get(self):
        """Your subscriptions (a planner: everyone's), with their health"""
        me, subs = current_consumer(), db.subscriptions
        query = sa.select(subs).order_by(subs.c.created_at, subs.c.id)
        if not me.may("planner"):
            query = query.where(subs.c.owner == me.name)
        with db.reading() as conn:
            pending = _pending(conn)
            return [_shown(row, pending) for row in conn.execute(query)]


@blp.route("/subscriptions/<string:sub_id>")
class Subscription(MethodView):
    @requires("reader")
    @blp.response(200, SubscriptionSchema)
    def get(self, sub_id):
        """One subscription"""
        with db.reading() as conn:
            return _shown(_owned(conn, sub_id), _pending(conn))

    @requires("reader")
    @blp.response(204)
    def delete(self, sub_id):
        """Unsubscribe: nothing more is sent to it, queued events included"""
        with db.writing() as conn:
            _owned(conn, sub_id)
            conn.execute(sa.delete(db.delivery_attempts)
                         .where(db.delivery_attempts.c.subscription_id == sub_id))
            conn.execute(sa.delete(db.deliveries).where(db.deliveries.c.subscription_id == sub_id))
            conn.execute(sa.delete(db.subscriptions).where(db.subscriptions.c.id == sub_id))


@blp.route("/subscriptions/<string:sub_id>/deliveries")
class Deliveries(MethodView):
    @requires("reader")
    @blp.arguments(AttemptsQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, AttemptSchema(many=True))
    def get(self, query, sub_id):
        """Every attempt to deliver this subscription's events, newest first"""
        att, dels, out = db.delivery_attempts, db.deliveries, db.outbox
        with db.reading() as conn:
            _owned(conn, sub_id)
            rows = conn.execute(
                sa.select(att, out.c.event_id, out.c.type, dels.c.status)
                .join(dels, dels.c.id == att.c.delivery_id)
                .join(out, out.c.id == dels.c.outbox_id)
                .where(att.c.subscription_id == sub_id)
                .order_by(att.c.id.desc()).limit(query["limit"])).all()
        return [{"delivery_id": r.delivery_id, "event_id": r.event_id, "type": r.type,
                 "delivery_status": r.status, "attempt": r.attempt,
                 "attempted_at": db.utc(r.attempted_at), "status_code": r.status_code,
                 "latency_ms": r.latency_ms, "error": r.error, "worker": r.worker}
                for r in rows]


@blp.route("/subscriptions/<string:sub_id>/deliveries/<int:delivery_id>/redeliver")
class Redeliver(MethodView):
    @requires("reader")
    @blp.response(202, SubscriptionSchema)
    def post(self, sub_id, delivery_id):
        """Send a delivery again now (re-enables a disabled subscription)"""
        dels, subs = db.deliveries, db.subscriptions
        with db.writing() as conn:
            _owned(conn, sub_id)
            moved = conn.execute(sa.update(dels).where(
                dels.c.id == delivery_id, dels.c.subscription_id == sub_id).values(
                status="pending", next_attempt_at=instant(), delivered_at=None)).rowcount
            if not moved:
                raise Problem(404, f"No delivery {delivery_id} for subscription {sub_id!r}; "
                              "its deliveries lists them.", kind="no-such-delivery")
            conn.execute(sa.update(subs).where(subs.c.id == sub_id).values(
                failures=0, disabled_at=None, disabled_reason=""))
            return _shown(_owned(conn, sub_id), _pending(conn))


def init_app(app) -> None:
    openapi.register(app, blp)
