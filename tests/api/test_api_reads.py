"""Reading the schedule: JSON, CSV, iCalendar, filters, ETags, versions, diffs, upcoming, clusters."""
import csv
import datetime as dt
import io

import icalendar
import pytest

from api.windows import window_id
from tests.api_plans import document, publish, window

CANARY = window("swc-canary", "2026-01-05")
EUS = window("eus-big", "2026-01-06", nodes=36, batch=1, batches=17, region="eastus", geo="US",
             tz="America/New_York", tier=3, rules=("rolling-big",))
WEU = window("weu-small", "2026-01-07", nodes=40, region="westeurope", geo="EU",
             tz="Europe/Amsterdam", tier=2)


@pytest.fixture
def published(app):
    publish(app, document(CANARY, EUS, WEU), message="first")
    return app


def get(client, url, headers, **extra):
    return client.get(url, headers={**headers, **extra.pop("more", {})}, **extra)


def test_the_schedule_is_the_current_version_with_ids_and_states(published, client, tokens):
    response = get(client, "/api/v1/schedule", tokens["reader"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["version"] == 1
    assert [w["cluster"] for w in body["windows"]] == ["swc-canary", "eus-big", "weu-small"]
    first = body["windows"][0]
    assert first["id"] == window_id("swc-canary", 1)
    assert first["state"] == "planned"
    assert first["start"] == "2026-01-05T11:00:00+01:00"
    assert {"date", "end", "nodes", "batch", "batches", "tier", "region", "geo", "rules"} <= set(first)


def test_filters_narrow_the_windows(published, client, tokens):
    def clusters(query):
        response = get(client, "/api/v1/schedule?" + query, tokens["reader"])
        return [w["cluster"] for w in response.get_json()["windows"]]

    assert clusters("geo=eu") == ["swc-canary", "weu-small"]
    assert clusters("region=eastus") == ["eus-big"]
    assert clusters("cluster=WEU-SMALL") == ["weu-small"]
    assert clusters("from=2026-01-06&to=2026-01-06") == ["eus-big"]
    assert clusters("state=done") == []


def test_bad_query_parameters_get_field_messages(published, client, tokens):
    response = get(client, "/api/v1/schedule?from=tomorrow&state=sleeping&format=pdf",
                   tokens["reader"])
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert set(response.get_json()["errors"]) == {"from", "state", "format"}
    typo = get(client, "/api/v1/schedule?clustr=eus-big", tokens["reader"])
    assert typo.status_code == 422 and "clustr" in typo.get_json()["errors"]
    reversed_range = get(client, "/api/v1/schedule?from=2026-01-07&to=2026-01-05", tokens["reader"])
    assert reversed_range.get_json()["errors"] == {"from": ["from must not be after to"]}


def test_csv_neutralises_cells_a_spreadsheet_would_run(app, client, tokens):
    publish(app, document(window("=HYPERLINK(1)", "2026-01-05", region="+r", geo="@g"),
                          window("-x", "2026-01-06")))
    response = get(client, "/api/v1/schedule?format=csv", tokens["reader"])
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["cluster"] == "'=HYPERLINK(1)"
    assert (rows[0]["region"], rows[0]["geo"]) == ("'+r", "'@g")
    assert rows[1]["cluster"] == "'-x"
    assert rows[1]["start"] == "2026-01-06T11:00:00+01:00"


def test_the_format_follows_the_accept_header(published, client, tokens):
    as_csv = get(client, "/api/v1/schedule", tokens["reader"], more={"Accept": "text/csv"})
    assert as_csv.mimetype == "text/csv"
    as_ical = get(client, "/api/v1/schedule", tokens["reader"], more={"Accept": "text/calendar"})
    assert as_ical.mimetype == "text/calendar"
    assert as_ical.headers["Vary"].startswith("Accept")


def test_the_icalendar_feed_parses_with_one_event_per_window(published, client, tokens):
    response = get(client, "/api/v1/schedule?format=ics", tokens["reader"])
    calendar = icalendar.Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        f"{window_id(c, 1)}@maintenance-planner" for c in ("swc-canary", "eus-big", "weu-small")]
    canary = events[0]
    assert canary.decoded("DTSTART") == dt.datetime(2026, 1, 5, 10, tzinfo=dt.timezone.utc)
    assert canary.decoded("DTEND") - canary.decoded("DTSTART") == dt.timedelta(hours=6)
    assert str(canary["X-MAINTNOTE-OBJECT-ID"]) == "swc-canary"
    assert str(canary["X-MAINTNOTE-MAINTENANCE-ID"]) == window_id("swc-canary", 1)
    assert str(canary["X-MAINTNOTE-IMPACT"]) == "OUTAGE"
    assert str(events[1]["X-MAINTNOTE-IMPACT"]) == "DEGRADED"  # one rolling batch of 17
    assert str(canary["X-MAINTNOTE-STATUS"]) == "CONFIRMED"
    assert {"X-MAINTNOTE-PROVIDER", "X-MAINTNOTE-ACCOUNT"} <= set(canary)


def test_etags_are_strong_and_a_matching_request_gets_304(published, client, tokens):
    first = get(client, "/api/v1/schedule", tokens["reader"])
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Last-Modified"]
    again = get(client, "/api/v1/schedule", tokens["reader"], more={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    as_csv = get(client, "/api/v1/schedule?format=csv", tokens["reader"],
                 more={"If-None-Match": etag})
    assert as_csv.status_code == 200 and as_csv.headers["ETag"] != etag


def test_a_new_state_changes_the_etag(published, client, tokens):
    etag = get(client, "/api/v1/schedule", tokens["reader"]).headers["ETag"]
    client.post(f"/api/v1/windows/{window_id('swc-canary', 1)}/state",
                json={"state": "in_progress"}, headers=tokens["reporter"])
    after = get(client, "/api/v1/schedule", tokens["reader"], more={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.get_json()["windows"][0]["state"] == "in_progress"


def test_versions_are_listed_newest_first_and_each_stays_readable(published, app, client, tokens):
    publish(app, document(CANARY, WEU), message="drop eus")
    listed = get(client, "/api/v1/versions", tokens["reader"]).get_json()
    assert [(v["version"], v["message"], v["current"]) for v in listed] == [
        (2, "drop eus", True), (1, "first", False)]
    old = get(client, "/api/v1/versions/1", tokens["reader"]).get_json()
    assert [w["cluster"] for w in old["windows"]] == ["swc-canary", "eus-big", "weu-small"]
    assert get(client, "/api/v1/versions/9", tokens["reader"]).status_code == 404
    assert get(client, "/api/v1/versions/" + "9" * 30, tokens["reader"]).status_code == 404


def test_the_diff_names_added_removed_moved_and_resized_windows(published, app, client, tokens):
    moved = window("weu-small", "2026-01-09", nodes=40, region="westeurope", geo="EU",
                   tz="Europe/Amsterdam")
    resized = window("swc-canary", "2026-01-05", hours=8)
    publish(app, document(resized, moved, window("new-one", "2026-01-10")))
    body = get(client, "/api/v1/versions/2/diff?against=1", tokens["reader"]).get_json()
    assert [w["cluster"] for w in body["added"]] == ["new-one"]
    assert [w["cluster"] for w in body["removed"]] == ["eus-big"]
    assert body["moved"] == [{"id": window_id("weu-small", 1), "cluster": "weu-small",
                              "batch": 1, "old_date": "2026-01-07", "new_date": "2026-01-09",
                              "old_start": "2026-01-07T11:00:00+01:00",
                              "new_start": "2026-01-09T11:00:00+01:00",
                              "old_state": "planned", "new_state": "planned"}]
    assert [(r["cluster"], r["old_hours"], r["new_hours"]) for r in body["resized"]] == [
        ("swc-canary", 6.0, 8.0)]
    missing = get(client, "/api/v1/versions/2/diff?against=7", tokens["reader"])
    assert missing.status_code == 404
    assert get(client, "/api/v1/versions/2/diff", tokens["reader"]).get_json() == body
    assert get(client, "/api/v1/versions/1/diff", tokens["reader"]).status_code == 404


def test_upcoming_lists_windows_starting_within_the_hours_asked(published, app, client, tokens):
    app.config["NOW"] = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)
    soon = get(client, "/api/v1/upcoming?hours=48", tokens["reader"]).get_json()
    assert [w["cluster"] for w in soon["windows"]] == ["swc-canary", "eus-big"]
    assert [w["cluster"] for w in get(client, "/api/v1/upcoming?hours=2",
                                      tokens["reader"]).get_json()["windows"]] == ["swc-canary"]
    assert get(client, "/api/v1/upcoming?hours=0", tokens["reader"]).status_code == 422
    assert get(client, "/api/v1/upcoming?hours=soon", tokens["reader"]).status_code == 422


def test_a_cluster_shows_its_windows_state_and_history(published, client, tokens):
    wid = window_id("swc-canary", 1)
    client.post(f"/api/v1/windows/{wid}/state", json={"state": "in_progress", "note": "go"},
                headers=tokens["reporter"])
    body = get(client, "/api/v1/clusters/SWC-CANARY", tokens["reader"]).get_json()
    assert body["cluster"] == "swc-canary"
    assert [w["state"] for w in body["windows"]] == ["in_progress"]
    assert [(h["from_state"], h["to_state"], h["note"], h["who"]) for h in body["history"]] == [
        ("planned", "in_progress", "go", "reporter-bot")]
    assert get(client, "/api/v1/clusters/nowhere", tokens["reader"]).status_code == 404


def test_nothing_published_yet_is_a_404_that_says_so(client, tokens):
    response = get(client, "/api/v1/schedule", tokens["reader"])
    assert response.status_code == 404
    assert "No schedule has been published yet" in response.get_json()["detail"]


def test_accept_quality_values_pick_the_preferred_format(published, client, tokens):
    response = get(client, "/api/v1/schedule", tokens["reader"],
                   more={"Accept": "text/calendar;q=0.5, text/csv;q=0.9"})
    assert response.mimetype == "text/csv"
    unknown = get(client, "/api/v1/schedule", tokens["reader"], more={"Accept": "image/png"})
    assert unknown.status_code == 406
    assert unknown.get_json()["type"].endswith("not-acceptable")
    json_only = get(client, "/api/v1/versions", tokens["reader"], more={"Accept": "text/csv"})
    assert json_only.status_code == 406


def test_a_change_within_the_same_second_is_never_hidden_by_a_304(published, client, tokens):
    # Last-Modified has one-second resolution, so If-Modified-Since cannot tell two changes in
    # one second apart: only If-None-Match (the exact bytes) may answer 304.
    first = get(client, "/api/v1/schedule", tokens["reader"])
    same = {"If-Modified-Since": first.headers["Last-Modified"], "If-None-Match": first.headers["ETag"]}
    assert get(client, "/api/v1/schedule", tokens["reader"], more=same).status_code == 304
    client.post(f"/api/v1/windows/{window_id('swc-canary', 1)}/state",
                json={"state": "in_progress"}, headers=tokens["reporter"])
    assert get(client, "/api/v1/schedule", tokens["reader"], more=same).status_code == 200
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert get(client, "/api/v1/schedule", tokens["reader"], more=since).status_code == 200
