"""The Google Sheet side of the CLI commands in api/commands.py: ``plan gsheet:ID --write-back``
and ``template --sheet ID``. ``settings`` are api/config.py's (PLANNER_GOOGLE_APPLICATION_CREDENTIALS,
PLANNER_SHEETS_API_URL, PLANNER_SHEET_PROTECTION, ...), as for ``validate gsheet:ID``.
"""
from __future__ import annotations

from collections.abc import Mapping

from rules import contract
from rules.model import RawWorkbook
from sheets.output_tabs import OUTPUT_TABS

from . import service


def write_back_to(spec: str, raw: RawWorkbook, document: dict, settings: Mapping) -> str:
    """Write the plan's output tabs to the sheet ``spec`` names; a line saying what was done."""
    run = service.write_back(spec, raw, document, settings)
    return (f"wrote {_names(OUTPUT_TABS)} to gsheet:{run.spreadsheet_id} "
            f"(input tabs {run.content_hash[:12]})")


def set_up_template(reference: str, settings: Mapping) -> str:
    from sheets.gsheet import open_gsheet
    from sheets.gsheet_template import set_up_sheet

    source = open_gsheet(reference, settings)
    set_up_sheet(source.spreadsheet_id, source.client)
    return f"set up {source.description}: {_names([tab.name for tab in contract.TABS])} tabs"


def _names(names) -> str:
    """The tab names as the contract and the output writers have them: "A, B and C"."""
    return ", ".join(names[:-1]) + " and " + names[-1]
