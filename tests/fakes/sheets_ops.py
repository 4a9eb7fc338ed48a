"""The operations of the fake Google APIs (Sheets v4, Drive v3 files, OAuth token), as a mixin
of FakeSheetsApi: each takes the werkzeug request and answers (status, JSON body)."""
from __future__ import annotations

import base64
import datetime as dt
import json

from werkzeug.wrappers import Request

from .sheets_cells import ApiError
from .sheets_store import Spreadsheet

# google-auth signs service-account assertions for Google's token endpoint, wherever it posts them.
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"


class Operations:
    # --- operations -------------------------------------------------------------------
    def _spreadsheets_get(self, request, sid):
        with self._lock:
            return 200, self._sheet(sid).metadata()

    def _values_get(self, request, sid, range):
        with self._lock:
            return 200, self._sheet(sid).value_range(range, *self._render_options(request))

    def _values_batchGet(self, request, sid):
        with self._lock:
            sheet = self._sheet(sid)
            ranges = request.args.getlist("ranges")
            options = self._render_options(request)
            return 200, {"spreadsheetId": sid,
                         "valueRanges": [sheet.value_range(r, *options) for r in ranges]}

    def _values_update(self, request, sid, range):
        raw = self._input_option(request.args.get("valueInputOption"))
        return self._write(sid, lambda s: s.update_values(range, _json(request).get("values"), raw))

    def _values_batchUpdate(self, request, sid):
        body = _json(request)
        raw = self._input_option(body.get("valueInputOption"))

        def apply(sheet):
            responses = [sheet.update_values(d["range"], d.get("values"), raw) for d in body.get("data", [])]
            rows, cols, sheets = set(), set(), set()
            for d in body.get("data", []):
                tab, (row0, col0, _, _) = sheet.resolve(d["range"])
                sheets.add(tab.sheet_id)
                for i, row in enumerate(d.get("values") or []):
                    rows.add((tab.sheet_id, row0 + i))
                    cols.update((tab.sheet_id, col0 + j) for j in range(len(row)))
            return {"spreadsheetId": sid, "totalUpdatedRows": len(rows),
                    "totalUpdatedColumns": len({c for _, c in cols}),
                    "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
                    "totalUpdatedSheets": len(sheets),
                    "responses": responses}
        return self._write(sid, apply)

    def _values_clear(self, request, sid, range):
        return self._write(sid, lambda s: {"spreadsheetId": sid, "clearedRange": s.clear(range)})

    def _values_batchClear(self, request, sid):
        ranges = _json(request).get("ranges", [])
        return self._write(sid, lambda s: {"spreadsheetId": sid,
                                           "clearedRanges": [s.clear(r) for r in ranges]})

    def _spreadsheets_batchUpdate(self, request, sid):
        requests = _json(request).get("requests", [])
        return self._write(sid, lambda s: {"spreadsheetId": sid, "replies": s.batch_update(requests)})

    def _drive_files_create(self, request):
        body = _json(request)
        sid = self.create_spreadsheet(body.get("name", "Untitled spreadsheet"))
        return 200, {"kind": "drive#file", "id": sid, "name": body.get("name"),
                     "mimeType": body.get("mimeType", "application/vnd.google-apps.spreadsheet")}

    def _drive_files_get(self, request, sid):
        with self._lock:
            sheet = self._drive_file(sid)
            every = {"kind": "drive#file", "id": sid, "name": sheet.title,
                     "mimeType": "application/vnd.google-apps.spreadsheet",
                     "createdTime": _rfc3339(sheet.created), "modifiedTime": _rfc3339(sheet.modified)}
        fields = request.args.get("fields", "kind,id,name,mimeType").split(",")
        return 200, {k: v for k, v in every.items() if k in fields}

    def _drive_files_delete(self, request, sid):
        with self._lock:
            self._drive_file(sid)
            del self._sheets[sid]
        return 204, None

    def _token(self, request):
        assertion = request.form.get("assertion", "")
        try:
            claims = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))
        except (IndexError, ValueError):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT."}
        if request.form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" or \
                claims.get("aud") != GOOGLE_TOKEN_AUDIENCE or not claims.get("iss"):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        with self._lock:
            token = f"ya29.fake-{next(self._ids)}"
            self._tokens.add(token)
            self.token_claims.append(claims)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    # --- helpers ----------------------------------------------------------------------
    def _write(self, sid: str, apply) -> tuple[int, dict]:
        """Applies to a copy; the copy replaces the spreadsheet only if everything succeeded."""
        with self._lock:
            twin = self._sheet(sid).copy()
            answer = apply(twin)
            self._sheets[sid] = twin
            self._touch(sid)
            return 200, answer

    def _sheet(self, sid: str) -> Spreadsheet:
        sheet = self._sheets.get(sid)
        if sheet is None:
            raise ApiError(404, "Requested entity was not found.")
        return sheet

    def _drive_file(self, sid: str) -> Spreadsheet:
        sheet = self._sheets.get(sid)
        if sheet is None:
            raise ApiError(404, f"File not found: {sid}.", drive_reason="notFound")
        return sheet

    @staticmethod
    def _render_options(request) -> tuple[str, str, str]:
        return (request.args.get("valueRenderOption", "FORMATTED_VALUE"),
                request.args.get("dateTimeRenderOption", "SERIAL_NUMBER"),
                request.args.get("majorDimension", "ROWS"))

    @staticmethod
    def _input_option(option: str | None) -> bool:
        if option not in ("RAW", "USER_ENTERED"):
            raise ApiError(400, "'valueInputOption' is required but not specified")
        return option == "RAW"
    def _touch(self, sid: str) -> None:
        self._sheets[sid].modified = self._now()

    def _now(self) -> dt.datetime:
        """Wall-clock time, strictly increasing by at least a millisecond per write."""
        now = max(dt.datetime.now(dt.timezone.utc), self._last_time + dt.timedelta(milliseconds=1))
        self._last_time = now
        return now


def _json(request: Request) -> dict:
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        raise ApiError(400, "Invalid JSON payload received.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid JSON payload received. Expected an object.")
    return body


def _rfc3339(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

