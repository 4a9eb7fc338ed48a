"""One instant, one local reading: a window opening in a spring-forward gap is shown the same way
in the plan document, the published JSON, the CSV and the iCalendar feed (rules/calendar.py)."""
import csv
import datetime as dt
import io

import icalendar

from rules.calendar import local_instant, window
from tests.workbooks import set_cell, valid_tabs, xlsx

GAP_DAY = dt.date(2027, 3, 14)  # New York springs forward from 02:00 to 03:00


def test_a_wall_time_in_the_gap_opens_at_the_later_reading_and_lasts_its_hours():
    start, end = window(GAP_DAY, dt.time(2, 30), 6, "America/New_York")
    assert (start.isoformat(), end.isoformat()) == ("2027-03-14T03:30:00-04:00", "2027-03-14T09:30:00-04:00")


def test_a_wall_time_that_occurs_twice_is_the_first():
    assert local_instant(dt.date(2026, 11, 1), dt.time(1, 30), "America/New_York").isoformat() == \
        "2026-11-01T01:30:00-04:00"


def gap_workbook() -> bytes:
    tabs = valid_tabs()
    for ref, value in (("Settings!B2", "2027-03-14"), ("Settings!B3", "2027-06-30"),
                       ("Settings!B5", "02:30"), ("Settings!B6", "12:00"),
                       ("Settings!B9", "America/New_York"), ("Clusters!J4", None)):
        set_cell(tabs, ref, value)
    for row in tabs["Regions"][1:]:
        row[3] = "America/New_York"
    tabs["Rules"] = tabs["Rules"][:1]
    return xlsx(tabs)


def test_every_format_shows_the_same_local_reading(client, tokens):
    upload = {"workbook": (io.BytesIO(gap_workbook()), "gap.xlsx"), "message": "gap"}
    published = client.post("/api/v1/publications", headers=tokens["planner"], data=upload,
                            content_type="multipart/form-data")
    assert published.status_code == 201, published.get_json()
    reader = tokens["reader"]
    first = client.get("/api/v1/schedule", headers=reader).get_json()["windows"][0]
    assert first["start"] == "2027-03-14T03:30:00-04:00"
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/schedule?format=csv", headers=reader).get_data(as_text=True))))
    assert rows[0]["start"] == first["start"]
    feed = icalendar.Calendar.from_ical(client.get("/api/v1/schedule?format=ics", headers=reader).data)
    event = next(e for e in feed.walk("VEVENT") if str(e["x-maintnote-maintenance-id"]) == first["id"])
    assert event.decoded("dtstart").isoformat() == first["start"]
