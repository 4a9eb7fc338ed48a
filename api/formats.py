"""The schedule as bytes: JSON, CSV and iCalendar (api.ical), chosen by ``?format=`` or
``Accept`` (an Accept naming nothing we serve is 406); ETags and 304s; gzip.

ETags are the SHA-256 of the exact bytes (so instances sharing a database agree), with
``-gzip`` for the compressed representation. Only ``If-None-Match`` can answer 304:
``If-Modified-Since`` is ignored, because two changes within one second share a Last-Modified
and a 304 must never hide the second.
"""
from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import io
import json

from flask import Response, current_app, request

from rules.plan.document import TABLE_FIELDS

from .problems import MEDIA_TYPE as PROBLEM, Problem

MEDIA_TYPES = {"json": "application/json", "csv": "text/csv", "ics": "text/calendar"}
# The API's id and state, then the plan document's window fields (rules/plan/document.py).
CSV_COLUMNS = ("id", "state", *TABLE_FIELDS)
GZIP_MIN_BYTES = 4096  # smaller bodies gain little, and cost a compression each


def negotiated(*media_types: str):
    """Decorate a view method that serves these media types (others serve JSON only)."""

    def mark(view):
        view.media_types = media_types
        return view

    return mark


def refuse_unacceptable() -> None:
    """Before each API request: 406 when Accept names nothing the endpoint serves."""
    if not request.path.startswith("/api/v1/") or "Accept" not in request.headers:
        return
    view = current_app.view_functions.get(request.endpoint)
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    served = getattr(method, "media_types", (MEDIA_TYPES["json"],))
    if request.accept_mimetypes.best_match([*served, PROBLEM]) is None:
        raise Problem(406, f"This endpoint serves {', '.join(served)}; the Accept header "
                      f"({request.headers['Accept']}) names none of them.",
                      kind="not-acceptable")


def choose(requested: str | None) -> str:
    """The format: ``?format=`` if given, else the best match for Accept (JSON first)."""
    if requested:
        return requested
    by_type = {v: k for k, v in MEDIA_TYPES.items()}
    return by_type[request.accept_mimetypes.best_match(list(by_type),
                                                       default=MEDIA_TYPES["json"])]


def to_json(payload) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode() + b"\n"


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula starts with an apostrophe (OWASP)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(windows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for window in windows:
        row = {**window, "rules": " ".join(window.get("rules") or ())}
        writer.writerow([neutralise("" if row.get(c) is None else row.get(c))
                         for c in CSV_COLUMNS])
    return out.getvalue().encode()


def etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@functools.lru_cache(maxsize=64)
def gzipped(body: bytes) -> bytes:
    """Deterministic gzip (no timestamp): the same bytes, hence the same ETag, everywhere."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def _wants_gzip(size: int) -> bool:
    return size >= GZIP_MIN_BYTES and "gzip" in request.accept_encodings


def conditional(body: bytes, tag: str, media_type: str, last_modified=None, *,
                weak: bool = False) -> Response:
    """The response, or a 304 when If-None-Match holds its ETag; gzip when accepted."""
    compress = _wants_gzip(len(body))
    if compress:
        tag += "-gzip"
    if request.if_none_match.contains_weak(tag) if weak else \
            request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        response = Response(gzipped(body) if compress else body, mimetype=media_type)
        if compress:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(tag, weak=weak)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Vary"] = "Accept, Accept-Encoding, Authorization"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def compress_large(response: Response) -> Response:
    """After each request: other large bodies (version lists, the OpenAPI document) gzipped."""
    if (response.status_code == 200 and not response.direct_passthrough
            and "Content-Encoding" not in response.headers and response.get_etag()[0] is None
            and _wants_gzip(response.content_length or 0)):
        response.set_data(gzip.compress(response.get_data(), compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    return response


def init_app(app) -> None:
    app.before_request(refuse_unacceptable)
    app.after_request(compress_large)
