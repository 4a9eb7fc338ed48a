"""The iCalendar feed as calendar consumers read it: circuit-maintenance-parser (the BCOP's
reference reader), icalendar and vobject; secret feed URLs; SEQUENCE across changes."""
import datetime as dt
import gzip

import icalendar
import pytest
import vobject
from circuit_maintenance_parser import NotificationData, init_provider
from hypothesis import HealthCheck, given, settings, strategies as st

from api.windows import window_id
from tests.api_plans import document, publish, window

CANARY = window("swc-canary", "2026-01-05")
BIG = window("eus-big", "2026-01-06", nodes=900, region="eastus", geo="US",
             tz="America/New_York")
WID, BIG_ID = window_id("swc-canary", 1), window_id("eus-big", 1)


def feed(client, headers, path="/api/v1/schedule?format=ics") -> bytes:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return response.get_data()


def maintenances(body: bytes) -> dict:
    """What the BCOP's reference parser reads from a feed, by maintenance id."""
    data = NotificationData.init_from_raw("ical", body)
    return {m.maintenance_id: m for m in init_provider("genericprovider").get_maintenances(data)}


def report(client, tokens, state, wid=WID, note=""):
    response = client.post(f"/api/v1/windows/{wid}/state", json={"state": state, "note": note},
                           headers=tokens["reporter"])
    assert response.status_code == 200
    return response


def test_the_parser_sees_state_changes_and_a_removed_window_cancelled(app, client, tokens):
    publish(app, document(CANARY, BIG))
    before = maintenances(feed(client, tokens["reader"]))
    assert {k: (m.status, m.sequence) for k, m in before.items()} == {
        WID: ("CONFIRMED", 0), BIG_ID: ("CONFIRMED", 0)}
    assert before[WID].organizer and before[WID].circuits[0].circuit_id == "swc-canary"
    report(client, tokens, "in_progress")
    during = maintenances(feed(client, tokens["reader"]))
    assert (during[WID].status, during[WID].sequence) == ("IN-PROCESS", 1)
    assert during[WID].stamp >= before[WID].stamp
    assert during[BIG_ID].sequence == 0  # untouched
    publish(app, document(CANARY))  # a new version without eus-big
    after = maintenances(feed(client, tokens["reader"]))
    assert (after[BIG_ID].status, after[BIG_ID].sequence) == ("CANCELLED", 1)
    assert (after[WID].status, after[WID].sequence) == ("IN-PROCESS", 1)  # kept its state


def test_a_failed_window_is_told_apart_from_one_in_progress_with_its_note(app, client, tokens):
    publish(app, document(CANARY))
    report(client, tokens, "in_progress")
    report(client, tokens, "failed", note="12 hosts did not come back")
    [event] = icalendar.Calendar.from_ical(feed(client, tokens["reader"])).walk("VEVENT")
    assert str(event["X-MAINTNOTE-STATUS"]) == "RE-SCHEDULED"
    assert "12 hosts did not come back" in str(event["DESCRIPTION"])
    assert maintenances(feed(client, tokens["reader"]))[WID].status == "RE-SCHEDULED"


def test_sequence_rises_on_every_change_and_never_falls(app, client, tokens):
    seen = []

    def sequences():
        cal = icalendar.Calendar.from_ical(feed(client, tokens["reader"]))
        seen.append({str(e["UID"]): (int(e["SEQUENCE"]), e["DTSTAMP"].dt,
                                     e["LAST-MODIFIED"].dt) for e in cal.walk("VEVENT")})

    publish(app, document(CANARY, BIG))
    sequences()
    publish(app, document(window("swc-canary", "2026-01-07"), BIG))  # moved
    sequences()
    publish(app, document(window("swc-canary", "2026-01-07", nodes=9), BIG))  # resized
    sequences()
    report(client, tokens, "cancelled")
    sequences()
    publish(app, document(window("swc-canary", "2026-01-07", nodes=9), BIG))  # same again
    sequences()
    uid = f"{WID}@maintenance-planner"
    assert [s[uid][0] for s in seen] == [0, 1, 2, 3, 3]
    assert all(s[uid][1] == s[uid][2] for s in seen)  # DTSTAMP is the change's time
    assert [s[f"{BIG_ID}@maintenance-planner"][0] for s in seen] == [0, 0, 0, 0, 0]


NAME = "gpu,ams;1\\a\nrack 2"


def _round_trip(app, client, tokens, name):
    publish(app, document(window(name, "2026-01-05")))
    body = feed(client, tokens["reader"])
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    parsed = vobject.readOne(body.decode())
    return event, parsed.vevent


def test_a_cluster_named_with_separators_round_trips_through_icalendar_and_vobject(
        app, client, tokens):
    event, vevent = _round_trip(app, client, tokens, NAME)
    assert str(event["X-MAINTNOTE-OBJECT-ID"]) == vevent.x_maintnote_object_id.value == NAME
    assert NAME in str(event["SUMMARY"]) and NAME in vevent.summary.value


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.sampled_from("ab ,;:\\\n\"é'=-"), min_size=1, max_size=20)
       .filter(lambda n: n.strip()))
def test_any_cluster_name_round_trips_through_both_readers(app, client, tokens, name):
    event, vevent = _round_trip(app, client, tokens, name)
    assert str(event["X-MAINTNOTE-OBJECT-ID"]) == vevent.x_maintnote_object_id.value == name


def test_every_feed_is_valid_rfc_5545(app, client, tokens):
    publish(app, document(CANARY, BIG))
    report(client, tokens, "in_progress", note="long note " * 20)
    publish(app, document(CANARY))
    for path in ("/api/v1/schedule?format=ics", "/api/v1/versions/1?format=ics",
                 "/api/v1/upcoming?format=ics&hours=8784"):
        body = feed(client, tokens["reader"], path)
        lines = body.split(b"\r\n")
        assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)  # CRLF, folded
        cal = vobject.readOne(body.decode(), validate=True)
        for event in cal.vevent_list:
            for required in ("uid", "dtstamp", "dtstart", "organizer", "sequence"):
                assert required in event.contents, required
        assert {"prodid", "version"} <= set(cal.contents)


def test_vtimezones_cover_only_the_feeds_dates(app, client, tokens):
    publish(app, document({**CANARY, "timezone": "Europe/Stockholm"},
                          {**BIG, "timezone": "America/New_York"}))
    cal = icalendar.Calendar.from_ical(feed(client, tokens["reader"]))
    zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    assert zones == {"Europe/Stockholm", "America/New_York"}
    for observance in cal.walk("STANDARD") + cal.walk("DAYLIGHT"):
        assert observance["DTSTART"].dt.date() <= dt.date(2026, 1, 7)
    assert len(cal.walk("STANDARD") + cal.walk("DAYLIGHT")) <= 4


def test_a_secret_feed_url_needs_no_header_and_stops_after_revocation(app, client, tokens):
    publish(app, document(CANARY, BIG))
    created = client.post("/api/v1/feeds", json={"geo": "US"}, headers=tokens["reader"])
    assert created.status_code == 201
    url = created.get_json()["url"]
    path = url[url.index("/api/v1/"):]
    assert len(path.rsplit("/", 1)[1].removesuffix(".ics")) >= 32  # >= 128 random bits
    assert set(maintenances(feed(client, {}, path))) == {BIG_ID}  # the saved filter
    listed = client.get("/api/v1/feeds", headers=tokens["reader"]).get_json()
    assert [f["filters"] for f in listed] == [{"geo": "US"}] and "url" not in listed[0]
    assert client.get("/api/v1/feeds", headers=tokens["reporter"]).get_json() == []
    feed_id = listed[0]["id"]
    assert client.delete(f"/api/v1/feeds/{feed_id}", headers=tokens["reporter"]).status_code \
        == 404
    assert client.delete(f"/api/v1/feeds/{feed_id}", headers=tokens["reader"]).status_code == 204
    assert client.get(path).status_code == 404


def test_conditional_gets_of_a_feed_never_answer_304_after_a_change(app, client, tokens):
    publish(app, document(CANARY))
    url = client.post("/api/v1/feeds", json={}, headers=tokens["reader"]).get_json()["url"]
    path = url[url.index("/api/v1/"):]
    first = client.get(path)
    tag = {"If-None-Match": first.headers["ETag"]}
    assert client.get(path, headers=tag).status_code == 304
    report(client, tokens, "in_progress")
    assert client.get(path, headers=tag).status_code == 200


def test_large_responses_are_gzipped_when_accepted(app, client, tokens):
    publish(app, document(*[window(f"c{i:03d}", "2026-01-05") for i in range(60)]))
    plain = client.get("/api/v1/schedule", headers=tokens["reader"])
    packed = client.get("/api/v1/schedule",
                        headers={**tokens["reader"], "Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/api/v1/schedule", headers={
        **tokens["reader"], "Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    small = client.get("/api/v1/versions", headers={**tokens["reader"],
                                                    "Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers  # a few hundred bytes: not worth it


def test_upcoming_lists_running_and_overdue_windows_with_formats_and_an_etag(app, client,
                                                                             tokens):
    publish(app, document(CANARY, BIG, window("late", "2026-01-04")))
    app.config["NOW"] = dt.datetime(2026, 1, 5, 12, tzinfo=dt.timezone.utc)
    report(client, tokens, "in_progress")  # swc-canary, started at 10:00 UTC
    body = client.get("/api/v1/upcoming?hours=1", headers=tokens["reader"])
    assert [(w["cluster"], w["state"]) for w in body.get_json()["windows"]] == [
        ("late", "planned"), ("swc-canary", "in_progress")]
    only = client.get("/api/v1/upcoming?hours=1&state=in_progress", headers=tokens["reader"])
    assert [w["cluster"] for w in only.get_json()["windows"]] == ["swc-canary"]
    csv = client.get("/api/v1/upcoming?hours=48&format=csv", headers=tokens["reader"])
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).count("\r\n") == 4
    tag = {"If-None-Match": body.headers["ETag"]}
    assert client.get("/api/v1/upcoming?hours=1", headers={**tokens["reader"], **tag}
                      ).status_code == 304
    report(client, tokens, "done")
    assert client.get("/api/v1/upcoming?hours=1", headers={**tokens["reader"], **tag}
                      ).status_code == 200
