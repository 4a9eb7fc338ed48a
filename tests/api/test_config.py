"""Settings: declared once in api/config.py, set from the environment with the PLANNER_ prefix,
and documented in one table (docs/configuration.md) that matches the declaration."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from api import config, create_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def table_row(key: config.Key) -> str:
    default = "" if key.default is None else f"`{key.default}`"
    return f"| `{config.PREFIX}{key.name}` | {default} | {key.meaning} |"


def test_the_documented_table_is_the_declared_one():
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines()
            if line.startswith(f"| `{config.PREFIX}")]
    assert rows == [table_row(key) for key in config.KEYS]


def test_the_app_reads_prefixed_variables_with_their_types(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("PLANNER_TOKEN_CACHE_SECONDS", "5")
    monkeypatch.setenv("PLANNER_NOW", "2026-12-07T09:00:00Z")
    monkeypatch.setenv("PLANNER_MAINTNOTE_ACCOUNT", "research-fleet")
    app = create_app()
    assert app.config["DATABASE_URL"].endswith("x.db")
    assert app.config["TOKEN_CACHE_SECONDS"] == 5.0
    assert app.config["NOW"] == dt.datetime(2026, 12, 7, 9, tzinfo=dt.timezone.utc)
    assert app.config["MAINTNOTE_ACCOUNT"] == "research-fleet"
    assert app.config["ICAL_UID_DOMAIN"] == "maintenance-planner"  # the declared default


def test_the_old_unprefixed_name_is_read_when_the_prefixed_one_is_unset():
    assert config.from_environ({"SHEET_ID": "old"})["SHEET_ID"] == "old"
    assert config.from_environ({"SHEET_ID": "old", "PLANNER_SHEET_ID": "new"})["SHEET_ID"] == "new"


def test_a_value_that_cannot_be_read_names_its_variable():
    with pytest.raises(ValueError, match="PLANNER_NOW: .* no UTC offset"):
        config.from_environ({"PLANNER_NOW": "2026-12-07T09:00"})
    with pytest.raises(ValueError, match="PLANNER_SHEET_POLL_SECONDS"):
        config.from_environ({"PLANNER_SHEET_POLL_SECONDS": "often"})


def test_now_fixes_the_clock_of_what_the_app_records(app):
    from api import db

    app.config["NOW"] = dt.datetime(2026, 12, 7, 10, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with app.app_context():
        assert db.now() == dt.datetime(2026, 12, 7, 9, 30, 15, tzinfo=dt.timezone.utc)
