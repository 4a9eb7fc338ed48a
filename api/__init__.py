"""The Flask application: REST API for the published schedule, and the server's CLI.

Flask loads when an app is made, not with the package: the ``planner`` command (api/cli.py)
uses api's shared CLI code without the web app.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """The app, configured from the environment (api/config.py), then from ``test_config``."""
    from flask import Flask

    from . import config

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_environ())
    if test_config is not None:
        app.config.update(test_config)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "planner.db")

    # Each module registers its own commands, blueprints and hooks.
    from . import commands

    commands.init_app(app)
    from . import (auth, db, delivery, feeds, health, openapi, problems, publications, schedule,
                   states, subscriptions)

    openapi.init_app(app)  # first: the smorest Api the blueprints below register with
    problems.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    health.init_app(app)
    schedule.init_app(app)
    publications.init_app(app)
    states.init_app(app)
    subscriptions.init_app(app)
    delivery.init_app(app)
    feeds.init_app(app)
    from . import draft, hooks, live_sheet, watch  # the live Google Sheet

    live_sheet.init_app(app)
    hooks.init_app(app)
    draft.init_app(app)
    watch.init_app(app)
    return app
