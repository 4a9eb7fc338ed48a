"""Reporting a window's progress (reporter role): planned -> in_progress -> done | failed,
failed -> planned (re-queued), planned -> cancelled. Anything else is a 409 naming the legal moves.
"""
from __future__ import annotations

from flask.views import MethodView

from . import openapi, store
from .auth import current_consumer, requires
from .problems import consumes
from .schemas import StateChangeSchema, StateResultSchema

blp = openapi.blueprint("states", __name__, "Window states (reporter role).")


@blp.route("/windows/<string:window_id>/state")
class WindowState(MethodView):
    @requires("reporter")
    @consumes("application/json")
    @blp.arguments(StateChangeSchema)
    @blp.response(200, StateResultSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, change, window_id):
        """Report a window's new state"""
        return store.change_state(window_id, change, current_consumer().name)


def init_app(app) -> None:
    openapi.register(app, blp)
