"""Every error as application/problem+json (RFC 9457): type, title, status, detail, errors.

Views raise ``Problem`` (or call ``flask_smorest.abort``); the domain errors of storage and the
use cases (api/errors.py) answer with the status of their class; werkzeug's HTTP errors (404, 405,
413, ...) and smorest's validation errors (422) come through the same handler, and anything
unexpected becomes a 500 whose body says nothing about the internals.
"""
from __future__ import annotations

import functools
import json
import re

import marshmallow as ma
from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError

from .errors import (Conflict, DomainError, InvalidReport, InvalidWorkbook, NotFound,
                     Unavailable)

MEDIA_TYPE = "application/problem+json"
# Problem types named by this API (docs/api.md lists them); plain HTTP errors are about:blank.
TYPE_BASE = "urn:maintenance-planner:problem:"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed for this token's role",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    500: "Internal server error",
    503: "Service unavailable",
}


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem; ``errors`` maps a field (or sheet cell) to its messages."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    errors = ma.fields.Raw(metadata={"description": "field -> messages, or a list of errors"})
    violations = ma.fields.List(ma.fields.Dict(), metadata={"description": "error violations"})
    allowed = ma.fields.List(ma.fields.String(), metadata={"description": "legal next states"})
    state = ma.fields.String(metadata={"description": "the window's current state (409)"})


class Problem(Exception):
    """Raise from a view to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None,
                 headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.detail, self.kind = status, detail, kind
        self.headers, self.extra = headers or {}, extra


def problem_response(status: int, detail: str | None = None, *, kind: str | None = None,
                     headers: dict | None = None, **extra) -> Response:
    body = {"type": TYPE_BASE + kind if kind else "about:blank",
            "title": _TITLES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    response = Response(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str),
                        status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _field_errors(messages):
    """webargs nests validation messages by location ({"query": {"hours": [...]}}): flatten."""
    if isinstance(messages, dict) and set(messages) <= {"query", "json", "form", "files",
                                                         "headers", "view_args", "path"}:
        flat = {}
        for part in messages.values():
            flat.update(part if isinstance(part, dict) else {"_schema": part})
        return flat
    return messages


def handle_http_exception(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    detail = data.get("message") or error.description
    if status == 500:
        detail = "Something went wrong on our side; it has been logged."
    errors = data.get("errors") or data.get("messages")
    if errors is not None:
        errors = _field_errors(errors)
        if status == 422:
            detail = "Some fields are invalid; see errors."
    headers = dict(data.get("headers") or {})
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
        detail = f"Use one of: {headers['Allow']}."
    return problem_response(status, detail, headers=headers, errors=errors)


def handle_problem(error: Problem) -> Response:
    return problem_response(error.status, error.detail, kind=error.kind,
                            headers=error.headers, **error.extra)


# The most specific class first: a subclass of one of these answers as its nearest base.
DOMAIN_STATUS = ((NotFound, 404), (Conflict, 409), (InvalidWorkbook, 422), (InvalidReport, 422),
                 (Unavailable, 503))


def handle_domain_error(error: DomainError) -> Response:
    status = next((code for cls, code in DOMAIN_STATUS if isinstance(error, cls)), 500)
    return problem_response(status, error.detail, kind=error.kind, **error.extra)


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    current_app.logger.exception("unhandled error")
    return handle_http_exception(InternalServerError())


# JSON bodies here are flat (a state change, a webhook ping); deeper nesting is refused before
# parsing, which would otherwise recurse once a level.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def refuse_deep_json() -> None:
    if not request.is_json:
        return
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", request.get_data(cache=True))):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            raise Problem(400, f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep; "
                               "send the documented shape.")


def init_app(app: Flask) -> None:
    app.before_request(refuse_deep_json)
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)


def consumes(*mimetypes: str):
    """Decorate a view method: a body of any other media type is answered with 415."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.mimetype not in mimetypes:
                raise Problem(415, f"Send the body as {' or '.join(mimetypes)}, not "
                              f"{request.mimetype or 'no media type'}.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
