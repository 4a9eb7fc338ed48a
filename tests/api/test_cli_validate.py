"""`flask validate` and `flask template`: output, exit codes, JSON, and no traceback on bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sheets.xlsx import write_workbook
from tests.workbooks import set_cell, valid_tabs

REPO = Path(__file__).resolve().parents[2]
FLEET = REPO / "examples" / "fleet.xlsx"


def workbook(tmp_path, tabs, name="book.xlsx"):
    path = tmp_path / name
    write_workbook(path, tabs)
    return str(path)


def test_a_valid_workbook_prints_ok_with_counts_and_exits_0(runner, tmp_path):
    result = runner.invoke(args=["validate", workbook(tmp_path, valid_tabs())])
    assert result.exit_code == 0
    assert result.output == "OK: 3 clusters, 3 regions, 9 rules\n"


def test_an_invalid_workbook_prints_one_line_per_error_and_exits_2(runner, tmp_path):
    tabs = set_cell(valid_tabs(), "Clusters!D3", "12O")
    set_cell(tabs, "Rules!L1", "wrkload")
    result = runner.invoke(args=["validate", workbook(tmp_path, tabs)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == 'Clusters!D3: nodes must be a whole number ≥ 1, got "12O"'
    assert lines[1].startswith('Rules!L1: no cluster attribute named "wrkload": did you mean "workload"?')
    assert len(lines) == 2


def test_json_errors_go_to_a_file(runner, tmp_path):
    out = tmp_path / "errors.json"
    tabs = set_cell(valid_tabs(), "Clusters!B3", "eastus9")
    result = runner.invoke(args=["validate", workbook(tmp_path, tabs), "--json", str(out)])
    assert result.exit_code == 2
    assert json.loads(out.read_text()) == {"errors": [
        {"cell": "Clusters!B3", "message": 'region "eastus9" is not in Regions: did you mean "eastus"?'}
    ]}


def test_json_to_stdout_is_pure_json(tmp_path):
    """Run as planners do, in a real process: stdout holds only the JSON document."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "validate",
         workbook(tmp_path, valid_tabs()), "--json", "-"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"errors": []}
    assert "OK: 3 clusters, 3 regions, 9 rules" in done.stderr


def test_a_missing_tab_fails_cleanly(runner, tmp_path):
    tabs = valid_tabs()
    del tabs["Rules"]
    result = runner.invoke(args=["validate", workbook(tmp_path, tabs)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        'Rules!A1: the workbook has no tab named "Rules": add a tab named Rules with the headers '
        "rule, kind in row 1"
    ]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "nope.xlsx", "nope.xlsx: no such file"),
        (lambda d: d, "is a directory, not a workbook"),
        (lambda d: _write(d / "corrupt.xlsx", b"PK\x03\x04garbage"), "corrupt.xlsx is not an Excel workbook"),
    ],
    ids=["missing", "directory", "corrupt"],
)
def test_what_is_not_a_workbook_gives_one_line_and_exit_2(runner, tmp_path, make, message):
    target = str(make(tmp_path))
    result = runner.invoke(args=["validate", target, "--json", str(tmp_path / "e.json")])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.output.splitlines()) == 1 and message in result.output
    assert json.loads((tmp_path / "e.json").read_text())["errors"][0]["cell"] == ""


def test_a_corrupt_file_in_a_real_process_shows_no_traceback(tmp_path):
    path = _write(tmp_path / "corrupt.xlsx", b"not a workbook at all")
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "validate", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.strip().endswith("is not an Excel workbook (.xlsx): save it as .xlsx from "
                                        "Excel or Google Sheets and try again")


def test_an_unwritable_json_target_is_one_line(runner, tmp_path):
    result = runner.invoke(args=["validate", workbook(tmp_path, valid_tabs()),
                                 "--json", str(tmp_path / "no" / "such" / "dir.json")])
    assert result.exit_code == 2
    assert "error: cannot write" in result.output and "Traceback" not in result.output


def test_template_writes_a_workbook_that_validate_reads(runner, tmp_path):
    out = tmp_path / "new.xlsx"
    result = runner.invoke(args=["template", str(out)])
    assert result.exit_code == 0 and result.output == f"wrote {out}\n"
    checked = runner.invoke(args=["validate", str(out)])
    assert checked.exit_code == 2
    assert checked.output.splitlines()[0] == "Clusters!A2: Clusters has no rows: add one row per cluster"


def test_template_into_a_missing_directory_is_one_line(runner, tmp_path):
    result = runner.invoke(args=["template", str(tmp_path / "no" / "out.xlsx")])
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot write") and len(result.output.splitlines()) == 1


def test_the_example_fleet_validates_clean(runner):
    result = runner.invoke(args=["validate", str(FLEET)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 72 clusters, ")


def _write(path, data):
    path.write_bytes(data)
    return path
