"""The fake Sheets API answers as Google does: each recorded request replayed, each answer compared.

The cassettes (shared/fixtures/gspread-cassettes) are real Google traffic recorded by gspread's
own tests. Ids differ between Google and the fake (new spreadsheets, new tabs): they are mapped
as the replay learns them. Every answer must match the recording's status and shape (keys and
JSON types, list lengths included); everything but ids and timestamps must match exactly.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from tests.fakes.sheets_api import STATIC_TOKEN, FakeSheetsApi

CASSETTES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "gspread-cassettes"
GOOGLE_ROOTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
VOLATILE = {"createdTime", "modifiedTime"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

pytestmark = pytest.mark.skipif(not CASSETTES.is_dir(), reason=f"no cassettes at {CASSETTES}")


@pytest.fixture(scope="module")
def fake():
    with FakeSheetsApi() as api:
        yield api


def cassettes() -> list[Path]:
    return sorted(CASSETTES.glob("*.json")) if CASSETTES.is_dir() else []


def shape(value):
    """Keys and JSON types, recursively; lists keep their length."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def masked(value):
    if isinstance(value, dict):
        return {k: "<time>" if k in VOLATILE else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


class Replay:
    """Replays one cassette against the fake, learning Google's ids -> the fake's ids."""

    def __init__(self, fake: FakeSheetsApi):
        self.fake = fake
        self.ids: dict[str, str] = {}  # spreadsheet ids
        self.sheet_ids: dict[int, int] = {}

    def rewrite(self, text: str) -> str:
        for google, ours in self.ids.items():
            text = text.replace(google, ours)
        return text

    def rewrite_sheet_ids(self, value):
        if isinstance(value, dict):
            return {k: self.sheet_ids.get(v, v) if k == "sheetId" else self.rewrite_sheet_ids(v)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self.rewrite_sheet_ids(item) for item in value]
        return value

    def learn(self, recorded, answered) -> None:
        """New ids in an answer: a created file's id, an added tab's sheetId."""
        if isinstance(recorded, dict) and isinstance(answered, dict):
            if recorded.get("kind") == "drive#file" and "id" in recorded:
                self.ids[recorded["id"]] = answered["id"]
            if "sheetId" in recorded and "sheetId" in answered:
                self.sheet_ids[recorded["sheetId"]] = answered["sheetId"]
            for key in recorded.keys() & answered.keys():
                self.learn(recorded[key], answered[key])
        elif isinstance(recorded, list) and isinstance(answered, list):
            for pair in zip(recorded, answered):
                self.learn(*pair)

    def send(self, request: dict) -> requests.Response:
        url = request["uri"]
        for root in GOOGLE_ROOTS:
            url = url.replace(root, self.fake.url)
        body = request.get("body")
        if body:
            body = json.dumps(self.rewrite_sheet_ids(json.loads(self.rewrite(body))))
        return requests.request(request["method"], self.rewrite(url), data=body, timeout=10,
                                headers={"Authorization": f"Bearer {STATIC_TOKEN}",
                                         "Content-Type": "application/json"})

    def expected(self, recorded: dict):
        return self.rewrite_sheet_ids(json.loads(self.rewrite(json.dumps(recorded))))


def differences(fake: FakeSheetsApi, cassette: Path) -> list[str]:
    replay, found = Replay(fake), []
    for number, interaction in enumerate(json.loads(cassette.read_text())["interactions"]):
        request, response = interaction["request"], interaction["response"]
        answer = replay.send(request)
        where = f"#{number} {request['method']} {request['uri']}"
        if answer.status_code != response["status"]["code"]:
            found.append(f"{where}: status {answer.status_code}, Google {response['status']['code']}")
            continue
        text = response["body"]["string"]
        if not text:
            if answer.content:
                found.append(f"{where}: a body where Google sends none")
            continue
        recorded, answered = json.loads(text), answer.json()
        replay.learn(recorded, answered)
        if shape(answered) != shape(recorded):
            found.append(f"{where}: shape {shape(answered)} != Google's {shape(recorded)}")
        elif masked(answered) != masked(replay.expected(recorded)):
            found.append(f"{where}: {masked(answered)} != Google's {masked(replay.expected(recorded))}")
        for key in VOLATILE & answered.keys():
            if not RFC3339.match(answered[key]):
                found.append(f"{where}: {key} {answered[key]!r} is not RFC 3339 with milliseconds")
    return found


@pytest.mark.parametrize("cassette", cassettes(), ids=lambda p: p.stem)
def test_the_fake_answers_each_recorded_request_as_google_did(fake, cassette):
    assert differences(fake, cassette) == []


def test_a_missing_spreadsheet_is_a_404_in_googles_error_envelope(fake):
    answer = requests.get(f"{fake.url}/v4/spreadsheets/nope", timeout=10,
                          headers={"Authorization": f"Bearer {STATIC_TOKEN}"})
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": 404, "message": "Requested entity was not found.",
                                       "status": "NOT_FOUND"}}


def test_a_request_without_a_valid_bearer_token_is_refused_with_401(fake):
    sid = fake.create_spreadsheet("T")
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        answer = requests.get(f"{fake.url}/v4/spreadsheets/{sid}", headers=headers, timeout=10)
        assert (answer.status_code, answer.json()["error"]["status"]) == (401, "UNAUTHENTICATED")


def test_a_range_naming_no_tab_is_a_400(fake):
    sid = fake.create_spreadsheet("T", {"Clusters": [["cluster"]]})
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{sid}/values:batchGet",
                          params={"ranges": ["'Clusters'", "'Rules'"]}, timeout=10,
                          headers={"Authorization": f"Bearer {STATIC_TOKEN}"})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Unable to parse range: 'Rules'"


def test_injected_failures_are_served_in_order_then_the_api_recovers(fake):
    sid = fake.create_spreadsheet("T")
    fake.fail_next(429, times=2, op="spreadsheets.get")
    fake.fail_next(503)
    statuses = [requests.get(f"{fake.url}/v4/spreadsheets/{sid}", timeout=10,
                             headers={"Authorization": f"Bearer {STATIC_TOKEN}"}).status_code
                for _ in range(4)]
    assert statuses == [429, 429, 503, 200]


def test_a_batch_update_with_one_bad_request_changes_nothing(fake):
    sid = fake.create_spreadsheet("T", {"Sheet1": [["kept"]]})
    body = {"requests": [
        {"updateCells": {"start": {"sheetId": 0}, "rows": [{"values": [
            {"userEnteredValue": {"stringValue": "lost"}}]}], "fields": "userEnteredValue"}},
        {"addSheet": {"properties": {"title": "sheet1"}}},  # names clash case-insensitively
    ]}
    answer = requests.post(f"{fake.url}/v4/spreadsheets/{sid}:batchUpdate", json=body, timeout=10,
                           headers={"Authorization": f"Bearer {STATIC_TOKEN}"})
    assert answer.status_code == 400
    assert "requests[1].addSheet" in answer.json()["error"]["message"]
    assert fake.values(sid, "Sheet1") == [["kept"]]


def call(fake, method, path, **kwargs):
    return requests.request(method, f"{fake.url}{path}", timeout=10,
                            headers={"Authorization": f"Bearer {STATIC_TOKEN}"}, **kwargs)


def test_protected_ranges_are_listed_in_the_metadata_and_can_be_deleted(fake):
    sid = fake.create_spreadsheet("T")
    body = {"requests": [{"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": 0}, "description": "outputs", "warningOnly": True}}}]}
    added = call(fake, "POST", f"/v4/spreadsheets/{sid}:batchUpdate", json=body).json()
    range_id = added["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    sheet = call(fake, "GET", f"/v4/spreadsheets/{sid}").json()["sheets"][0]
    assert [p["protectedRangeId"] for p in sheet["protectedRanges"]] == [range_id]
    delete = {"requests": [{"deleteProtectedRange": {"protectedRangeId": range_id}}]}
    assert call(fake, "POST", f"/v4/spreadsheets/{sid}:batchUpdate", json=delete).status_code == 200
    assert "protectedRanges" not in call(fake, "GET", f"/v4/spreadsheets/{sid}").json()["sheets"][0]


def test_a_warning_only_protection_with_editors_is_refused(fake):
    sid = fake.create_spreadsheet("T")
    body = {"requests": [{"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": 0}, "warningOnly": True, "editors": {"users": ["a@b.c"]}}}}]}
    assert call(fake, "POST", f"/v4/spreadsheets/{sid}:batchUpdate", json=body).status_code == 400


def test_every_write_moves_the_drive_modified_time(fake):
    sid = fake.create_spreadsheet("T")
    path = f"/drive/v3/files/{sid}?fields=modifiedTime"
    before = call(fake, "GET", path).json()["modifiedTime"]
    fake.type(sid, "Sheet1!A1", [["x"]])
    after = call(fake, "GET", path).json()["modifiedTime"]
    assert after > before and RFC3339.match(after)


def test_update_cells_over_a_range_clears_the_cells_its_rows_leave_out(fake):
    sid = fake.create_spreadsheet("T", {"Sheet1": [["a", "b"], ["c", "d"]]})
    body = {"requests": [{"updateCells": {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "=A1"}}]}], "fields": "userEnteredValue"}}]}
    assert call(fake, "POST", f"/v4/spreadsheets/{sid}:batchUpdate", json=body).status_code == 200
    assert fake.values(sid, "Sheet1") == [["=A1"]]
    assert fake.cell(sid, "Sheet1", 0, 0).kind == "string"


def test_writing_beyond_the_grid_is_refused(fake):
    sid = fake.create_spreadsheet("T", rows=2, cols=2)
    answer = call(fake, "PUT", f"/v4/spreadsheets/{sid}/values/Sheet1!A1", params={"valueInputOption": "RAW"},
                  json={"values": [["a", "b", "c"]]})
    assert answer.status_code == 400 and "exceeds grid limits" in answer.json()["error"]["message"]
