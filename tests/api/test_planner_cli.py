"""`planner validate|plan|template`: the planner's jobs without the web app. The same commands as
`flask --app wsgi ...` (same output, same exit codes), and starting them loads neither Flask nor
the database nor, unless a gsheet: workbook is given, Google's libraries."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from sheets.xlsx import write_workbook
from tests.workbooks import set_cell, valid_tabs

ROOT = Path(__file__).resolve().parents[2]
FLEET = str(ROOT / "examples" / "fleet.xlsx")
SERVER_ONLY = ("flask", "flask_smorest", "werkzeug", "marshmallow", "sqlalchemy", "alembic",
               "psycopg", "icalendar", "gunicorn", "gspread", "google")


def loaded_by(*args: str) -> tuple[int, list[str]]:
    """Run ``planner ARGS`` in a fresh interpreter: its exit code and the server-only libraries
    it loaded."""
    probe = ("import sys\nfrom api.cli import main\ntry:\n    main(sys.argv[1:])\nfinally:\n"
             f"    print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(SERVER_ONLY)!r}),"
             " file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True,
                          text=True)
    return done.returncode, ast.literal_eval(done.stderr.strip().splitlines()[-1])


def test_planning_a_workbook_loads_no_server_library(tmp_path):
    assert loaded_by("plan", FLEET, "--json", str(tmp_path / "p.json"),
                     "--xlsx", str(tmp_path / "p.xlsx")) == (0, [])
    assert loaded_by("validate", FLEET) == (0, [])
    assert loaded_by("template", str(tmp_path / "t.xlsx")) == (0, [])


def test_a_google_sheet_loads_googles_libraries_and_only_those():
    code, loaded = loaded_by("validate", "gsheet:no-such-sheet")
    assert code == 2  # no credentials configured: one line, exit 2
    assert set(loaded) <= {"gspread", "google"} and "gspread" in loaded


@pytest.mark.parametrize("args", [
    ["plan", FLEET, "--json", "-"],
    ["validate", FLEET],
    ["validate", "no-such.xlsx"],
    ["plan", "BROKEN", "--json", "-"],
])
def test_planner_and_flask_give_the_same_output_and_exit_code(args, runner, tmp_path):
    if "BROKEN" in args:
        broken = tmp_path / "broken.xlsx"
        write_workbook(broken, set_cell(valid_tabs(), "Clusters!D2", "12O"))
        args = [str(broken) if a == "BROKEN" else a for a in args]
    planner = CliRunner().invoke(main, args)
    flask = runner.invoke(args=args)
    assert (planner.exit_code, planner.output) == (flask.exit_code, flask.output)
    assert planner.exit_code in (0, 2)
