"""Liveness and readiness, open to all (load balancers carry no token)."""
from __future__ import annotations

import flask_smorest
import sqlalchemy as sa
from flask.views import MethodView

from . import db, openapi
from .problems import Problem
from .schemas import HealthSchema

blp = flask_smorest.Blueprint("health", __name__, description="Health checks (no token).")


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is up"""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """The database is reachable"""
        try:
            with db.reading() as conn:
                conn.execute(sa.select(1))
        except sa.exc.SQLAlchemyError:
            raise Problem(503, "The database is not reachable.", kind="database-unreachable") \
                from None
        return {"status": "ready"}


def init_app(app) -> None:
    openapi.register(app, blp)
