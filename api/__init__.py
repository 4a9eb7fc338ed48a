"""The Flask application: REST API for the published schedule, and the planners' CLI."""
from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "planner.db")
        ),
    )
    if os.environ.get("PLANNER_NOW"):  # the app's fixed "now" (api.db.now), for rehearsals
        app.config["NOW"] = os.environ["PLANNER_NOW"]
    if test_config is not None:
        app.config.update(test_config)

    # Each module registers its own commands, blueprints and hooks.
    from . import commands

    commands.init_app(app)
    from . import auth, db, health, openapi, problems, publications, schedule, states

    openapi.init_app(app)  # first: the smorest Api the blueprints below register with
    problems.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    health.init_app(app)
    schedule.init_app(app)
    publications.init_app(app)
    states.init_app(app)
    from . import draft, hooks, live_sheet, watch  # the live Google Sheet

    live_sheet.init_app(app)
    hooks.init_app(app)
    draft.init_app(app)
    watch.init_app(app)
    return app
