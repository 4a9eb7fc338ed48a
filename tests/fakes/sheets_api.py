"""A loopback fake of Google Sheets API v4, the Drive v3 files endpoint and an OAuth token endpoint.

A real HTTP server (werkzeug, in a thread, on 127.0.0.1 and a free port) that gspread reaches
through its normal client once Google's base URLs point at ``fake.url``. It answers in the shapes
of the recorded Google responses (``shared/fixtures/gspread-cassettes``), with Google's error
envelope; it counts requests, checks bearer tokens, and fails on demand (429s, 5xx, stalls).

    with FakeSheetsApi() as fake:
        sid = fake.create_spreadsheet("Plan", {"Clusters": [["cluster", "nodes"], ["a", 4]]})
        fake.fail_next(429, times=3)
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import threading
import time
import urllib.parse
from collections import Counter, deque
from dataclasses import dataclass

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .sheets_cells import ApiError, Cell, Tab, entered
from .sheets_ops import Operations
from .sheets_store import Spreadsheet

STATIC_TOKEN = "fake-static-token"
_MESSAGES = {
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per "
         "user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "Deadline exceeded.",
}
_ID = r"(?P<sid>[^/:?]+)"
_ROUTES = [  # (method, pattern, operation name)
    ("GET", rf"^/v4/spreadsheets/{_ID}$", "spreadsheets.get"),
    ("POST", rf"^/v4/spreadsheets/{_ID}:batchUpdate$", "spreadsheets.batchUpdate"),
    ("GET", rf"^/v4/spreadsheets/{_ID}/values:batchGet$", "values.batchGet"),
    ("POST", rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$", "values.batchUpdate"),
    ("POST", rf"^/v4/spreadsheets/{_ID}/values:batchClear$", "values.batchClear"),
    ("POST", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>[^/]+):clear$", "values.clear"),
    ("GET", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>[^/]+)$", "values.get"),
    ("PUT", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>[^/]+)$", "values.update"),
    ("POST", r"^/drive/v3/files$", "drive.files.create"),
    ("GET", r"^/drive/v3/files/(?P<sid>[^/]+)$", "drive.files.get"),
    ("DELETE", r"^/drive/v3/files/(?P<sid>[^/]+)$", "drive.files.delete"),
    ("POST", r"^/token$", "token"),
]


@dataclass
class _Failure:
    status: int  # 0: no error, a late answer
    op: str | None
    stall: float = 0.0


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the tests' output stays readable
        pass


class FakeSheetsApi(Operations):
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sheets: dict[str, Spreadsheet] = {}
        self._failures: deque[_Failure] = deque()
        self._ids = itertools.count(1)
        self._tokens = {STATIC_TOKEN}
        self._last_time = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        self.calls: Counter[str] = Counter()
        self.log: list[str] = []  # operation names, in order
        self.token_claims: list[dict] = []  # what each token request asked for (iss, scope, ...)
        self.max_request_bytes = 10 * 1024 * 1024  # Google's limit on a request body
        self._server = None

    # --- life cycle -------------------------------------------------------------------
    def start(self, port: int = 0) -> "FakeSheetsApi":
        """Serves on 127.0.0.1 (``port`` 0: a free one) from a background thread."""
        self._server = make_server("127.0.0.1", port, self, threaded=True, request_handler=_Quiet)
        threading.Thread(target=self._server.serve_forever, name="fake-sheets-api", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeSheetsApi":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The root URL that replaces both https://sheets.googleapis.com and https://www.googleapis.com."""
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    # --- what tests do to the sheet (as a person in the browser would) -------------------
    def create_spreadsheet(self, title: str = "Untitled spreadsheet",
                           tabs: dict[str, list[list]] | None = None, spreadsheet_id: str | None = None,
                           rows: int = 1000, cols: int = 26) -> str:
        with self._lock:
            sid = spreadsheet_id or f"fake-{next(self._ids):04d}-spreadsheet"
            now = self._now()
            sheet = Spreadsheet(sid, title, now, now)
            for index, (name, values) in enumerate((tabs or {"Sheet1": []}).items()):
                height = max(rows, len(values))
                width = max(cols, max((len(r) for r in values), default=0))
                sheet_id = 0 if index == 0 else 1000 + index  # Google numbers the first tab 0
                sheet.tabs.append(Tab(sheet_id, name, height, width))
                self._type(sheet.tabs[-1], 0, 0, values)
            self._sheets[sid] = sheet
            return sid

    def type(self, spreadsheet_id: str, cell_range: str, values: list[list]) -> None:
        """Types values as a planner would (USER_ENTERED: "400" becomes a number, "'400" text)."""
        with self._lock:
            self._sheet(spreadsheet_id).update_values(cell_range, values, raw=False)
            self._touch(spreadsheet_id)

    def put_raw(self, spreadsheet_id: str, cell_range: str, values: list[list]) -> None:
        with self._lock:
            self._sheet(spreadsheet_id).update_values(cell_range, values, raw=True)
            self._touch(spreadsheet_id)

    def values(self, spreadsheet_id: str, title: str) -> list[list]:
        """A tab's values as a reader gets them (unformatted, serial dates, trailing blanks dropped)."""
        with self._lock:
            answer = self._sheet(spreadsheet_id).value_range(f"'{title}'", "UNFORMATTED_VALUE")
            return answer.get("values", [])

    def cell(self, spreadsheet_id: str, title: str, row: int, col: int) -> Cell:
        """The cell at zero-based (row, col) of a tab: its kind, value, note, validation."""
        with self._lock:
            return self._sheet(spreadsheet_id).tab_titled(title).cell(row, col)

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        with self._lock:
            return self._sheet(spreadsheet_id)

    def fail_next(self, status: int, times: int = 1, op: str | None = None) -> None:
        """The next ``times`` requests (of operation ``op``, e.g. "values.batchGet") get ``status``."""
        with self._lock:
            self._failures.extend(_Failure(status, op) for _ in range(times))

    def stall_next(self, seconds: float, times: int = 1, op: str | None = None) -> None:
        """The next requests are carried out, but answered only after ``seconds``: a client that
        timed out meanwhile does not know its request landed."""
        with self._lock:
            self._failures.extend(_Failure(0, op, seconds) for _ in range(times))

    def count(self, op: str | None = None) -> int:
        with self._lock:
            return sum(self.calls.values()) if op is None else self.calls[op]

    # --- the HTTP side ----------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        path = (environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.path).split("?")[0]
        try:
            op, params = self._route(request.method, path)
            with self._lock:
                self.calls[op] += 1
                self.log.append(op)
            if op != "token":
                self._authorize(request)
            if (request.content_length or 0) > self.max_request_bytes:
                raise ApiError(400, f"Request payload size exceeds the limit: {self.max_request_bytes} bytes.")
            failure = self._take_failure(op)
            if failure is not None and failure.status:
                raise ApiError(failure.status, _MESSAGES.get(failure.status, "Error"))
            status, body = getattr(self, "_" + op.replace(".", "_"))(request, **params)
            if failure is not None:
                time.sleep(failure.stall)  # done, but the answer comes late (lost to a timeout)
        except ApiError as error:
            status, body = error.code, error.envelope()
        text = "" if body is None else json.dumps(body, indent=2, ensure_ascii=False)
        response = Response(text, status, content_type="application/json; charset=UTF-8")
        return response(environ, start_response)

    def _route(self, method: str, path: str) -> tuple[str, dict]:
        for verb, pattern, op in _ROUTES:
            match = re.match(pattern, path)
            if match and verb == method:
                return op, {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
        raise ApiError(404, f"The requested URL {path} was not found on this server.")

    def _authorize(self, request: Request) -> None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in self._tokens:
            raise ApiError(401, "Request had invalid authentication credentials. Expected OAuth 2 "
                                "access token, login cookie or other valid authentication credential.")

    def _take_failure(self, op: str) -> _Failure | None:
        with self._lock:
            failure = next((f for f in self._failures if f.op in (None, op)), None)
            if failure is not None:
                self._failures.remove(failure)
            return failure

    # --- helpers ----------------------------------------------------------------------
    def _type(self, tab: Tab, row0: int, col0: int, values: list[list]) -> None:
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                if isinstance(value, (dt.date, dt.datetime)):
                    value = value.isoformat()[:10]
                cell = entered(value, raw=False)
                if cell is not None:
                    tab.put(row0 + r, col0 + c, cell)
