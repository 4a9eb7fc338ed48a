"""The OpenAPI 3 document (flask-smorest) at /api/openapi.json and its docs page at /api/docs.

The docs page loads Swagger UI from the ``swagger-ui-bundle`` package, served by this app, so
it works on a machine with no internet. The document and the docs are open (they hold no data);
every data endpoint needs a bearer token.
"""
from __future__ import annotations

import http

import flask_smorest
import swagger_ui_bundle
from flask import Blueprint, Flask, current_app
from flask_smorest.utils import prepare_response

from . import problems

ASSETS_PATH = "/api/docs/assets/"
BEARER = "bearerAuth"


class Api(flask_smorest.Api):
    """smorest's Api, with errors documented and answered as application/problem+json."""

    ERROR_SCHEMA = problems.ProblemSchema

    def _register_responses(self):
        # smorest's own loop, with the problem media type for every error response.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as application/problem+json",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _register_error_handlers(self):
        """Errors are the problems module's business (registered by problems.init_app)."""

    def handle_http_exception(self, error):
        return problems.handle_http_exception(error)


def blueprint(name: str, import_name: str, description: str) -> flask_smorest.Blueprint:
    return flask_smorest.Blueprint(name, import_name, url_prefix="/api/v1",
                                   description=description)


def register(app: Flask, blp: flask_smorest.Blueprint) -> None:
    """Add a module's blueprint to the app and to the OpenAPI document."""
    app.extensions["planner_api"].register_blueprint(blp)


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Maintenance planner")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", ASSETS_PATH)
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "The published maintenance schedule: versions, diffs, states "
                                "and feeds. Roles: reader < reporter < planner (docs/api.md)."},
        "components": {"securitySchemes": {BEARER: {"type": "http", "scheme": "bearer"}}},
        "security": [{BEARER: []}],
    })
    api = Api(app)
    app.extensions["planner_api"] = api
    assets = Blueprint("swagger_ui_assets", __name__, static_folder=swagger_ui_bundle.swagger_ui_path,
                       static_url_path=ASSETS_PATH.rstrip("/"))
    app.register_blueprint(assets)


def spec_dict() -> dict:
    return current_app.extensions["planner_api"].spec.to_dict()
