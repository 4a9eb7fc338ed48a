"""Starting the app (every API request path and CLI command) loads only what it always needs:
the Google client libraries load when a function talks to Google, alembic when migrating,
icalendar when writing the calendar feed. Measured in bench/README.md; guarded here by what
gets imported, not by timing."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = ("gspread", "google", "google_auth_oauthlib", "alembic", "icalendar")


def imported_after(code: str) -> list[str]:
    probe = (f"{code}; import sys; "
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {OPTIONAL!r}))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return ast.literal_eval(out)


def test_importing_the_app_loads_neither_google_nor_migration_nor_calendar_libraries():
    assert imported_after("import wsgi") == []


def test_the_probe_sees_a_library_the_app_does_load_on_demand():
    assert "alembic" in imported_after("import wsgi; from api.db import config; config()")
