"""The planner's commands, `validate`, `plan` and `template`: the same functions serve as
`planner validate|plan|template` (api/cli.py, without the web app) and `flask --app wsgi ...`.

Bad input (a missing, damaged or invalid workbook, an unwritable output) ends in one line per
problem and exit code 2, never a traceback.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

import click

from rules.contract import SCENARIOS
from rules.model import SheetError
from sheets.source import SourceError

from . import config, service

EXIT_VIOLATIONS = 1
EXIT_INVALID = 2


def error_line(error: SheetError) -> str:
    return f"{error.cell}: {error.message}" if error.cell else error.message


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_INVALID)


def settings() -> dict:
    """The settings (api/config.py) from the environment; a bad value ends the command."""
    try:
        return config.from_environ()
    except ValueError as err:
        fail(str(err))


def write_json(target: str, payload: Any) -> None:
    """``payload`` as JSON to the file ``target``, or to stdout when it is ``-``."""
    text = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if target == "-":
        click.echo(text, nl=False)
        return
    try:
        with open(target, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as err:
        fail(f"cannot write {target}: {err.strerror or err}")


@click.command("validate")
@click.argument("workbook")
@click.option("--json", "json_out", metavar="FILE", help="Also write the errors as JSON ('-': stdout).")
def validate_command(workbook: str, json_out: str | None) -> None:
    """Check WORKBOOK (an .xlsx file, or gsheet:ID) against the sheet contract; exit 0 when valid, 2 if not."""
    read = service.read(workbook, settings())
    validated = read.validated
    errors = [*validated.errors, *service.scenario_errors(read)]
    to_stderr = json_out == "-"  # keep stdout pure JSON
    for error in errors:
        click.echo(error_line(error), err=to_stderr)
    if not errors:
        book = validated.workbook
        click.echo(
            f"OK: {len(book.clusters)} clusters, {len(book.regions)} regions, {len(book.rules)} rules",
            err=to_stderr,
        )
    if json_out:
        write_json(json_out, {"errors": [e.to_dict() for e in errors]})
    sys.exit(EXIT_INVALID if errors else 0)


@click.command("template")
@click.argument("out", required=False)
@click.option("--sheet", metavar="ID", help="Set up the new Google Sheet ID instead of writing a file.")
def template_command(out: str | None, sheet: str | None) -> None:
    """Write an empty planning workbook to OUT (.xlsx): tabs, headers, notes and dropdowns."""
    if sheet:
        from .sheet_cli import set_up_template

        try:
            click.echo(set_up_template(sheet, settings()))
        except SourceError as err:
            fail(str(err))
        return
    if not out:
        fail("give the file to write (OUT.xlsx), or --sheet ID for a Google Sheet")
    from sheets.template import write_template

    try:
        write_template(out)
    except OSError as err:
        fail(f"cannot write {out}: {err.strerror or err}")
    click.echo(f"wrote {out}")


@click.command("plan")
@click.argument("workbook")
@click.option("--json", "json_out", metavar="FILE", help="Write the plan as JSON ('-': stdout).")
@click.option("--xlsx", "xlsx_out", metavar="FILE",
              help="Write the workbook plus Schedule, Violations and Summary tabs.")
@click.option("--write-back", is_flag=True,
              help="Write the Schedule, Violations and Summary tabs into the gsheet:ID workbook.")
@click.option("--as-of", "as_of", metavar="INSTANT",
              help="Plan at INSTANT (ISO 8601 with offset, e.g. 2026-12-10T08:00:00Z) instead of "
                   "now (PLANNER_NOW, else the clock).")
@click.option("--scenarios", is_flag=True,
              help="Also plan each scenario of the Scenarios tab; print and write the comparison.")
@click.option("--optimise", is_flag=True,
              help="Aim at the earliest finish (CP-SAT), as Settings objective finish does.")
@click.option("--seconds", type=click.FloatRange(min=0.1), default=None, metavar="N",
              help="The optimiser's budget (deterministic seconds; default 10).")
def plan_command(workbook: str, json_out: str | None, xlsx_out: str | None,
                 write_back: bool = False, as_of: str | None = None, scenarios: bool = False,
                 optimise: bool = False, seconds: float | None = None) -> None:
    """Plan WORKBOOK (.xlsx or gsheet:ID): exit 0 without error violations, 1 with some, 2 when it is invalid.

    Under flask --app wsgi with a published version (or with --as-of or PLANNER_NOW), the plan
    is made at that instant from the states reported so far, as a publication would be."""
    # What only some runs need loads when they need it: `planner plan` should start fast.
    from rules.plan.document import to_json
    from rules.plan.optimised import DEFAULT_OPTIMISE_SECONDS
    from rules.plan.text import summary_lines

    google = settings()
    try:
        instant = config.instant(as_of) if as_of else google["NOW"]
    except ValueError as err:
        fail(f"--as-of: {err}")
    read = service.read(workbook, google)
    raw, validated = read.raw, read.validated
    budget = seconds if seconds is not None else (DEFAULT_OPTIMISE_SECONDS if optimise else None)
    progress = service.progress_for_plan(instant) if validated.ok else None
    doc = service.plan(validated, progress, raw if scenarios else None, budget)
    to_stderr = json_out == "-"  # keep stdout pure JSON
    for error in (*validated.errors, *(SheetError(e["cell"], e["message"]) for e in doc["errors"]
                                       if validated.ok)):
        click.echo(error_line(error), err=to_stderr)
    for line in summary_lines(doc):
        click.echo(line, err=to_stderr)
    if doc.get("scenarios"):
        from rules.scenarios.table import table_lines

        click.echo("scenarios:", err=to_stderr)
        for line in table_lines(doc["scenarios"]):
            click.echo(f"  {line}", err=to_stderr)
    elif scenarios and validated.ok and not doc["errors"]:
        has_tab = raw.table(SCENARIOS.name) is not None
        click.echo("scenarios: " + ("the Scenarios tab has no scenario rows" if has_tab
                                    else "the workbook has no Scenarios tab"), err=to_stderr)
    if json_out == "-":
        click.echo(to_json(doc), nl=False)
    elif json_out:
        _write_out(json_out, lambda path: _write_text(path, to_json(doc)))
    if xlsx_out and raw is not None:
        from sheets.xlsx_output import write_plan_xlsx

        source = workbook if os.path.isfile(workbook) else raw  # a file keeps its formatting
        _write_out(xlsx_out, lambda path: write_plan_xlsx(path, source, doc))
    if write_back and raw is not None:
        from .sheet_cli import write_back_to

        try:
            click.echo(write_back_to(workbook, raw, doc, google), err=to_stderr)
        except SourceError as err:
            fail(str(err))
    if not validated.ok or doc["errors"]:
        sys.exit(EXIT_INVALID)
    sys.exit(EXIT_VIOLATIONS if doc["summary"]["errors"] else 0)


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def _write_out(path: str, write) -> None:
    try:
        write(path)
    except OSError as err:
        fail(f"cannot write {path}: {err.strerror or err}")


def init_app(app) -> None:
    app.cli.add_command(validate_command)
    app.cli.add_command(template_command)
    app.cli.add_command(plan_command)
