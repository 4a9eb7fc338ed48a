"""Writing one validation run of a live sheet to its output tabs, a status line above Violations.

The run itself (read the input tabs, skip an unchanged input, validate, plan, write, record) is
a use case of the API (api/service.py); this module holds what it writes.
"""
from __future__ import annotations

import datetime as dt

from .gsheet import GoogleSheetSink
from .gsheet_outcome import Run


def status_line(content_hash: str, checked_at: dt.datetime, counts: dict[str, int]) -> str:
    when = checked_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (f"Validated {when} from input tabs {content_hash[:12]}: "
            f"{counts['sheet_errors']} sheet errors, {counts['error_violations']} error violations, "
            f"{counts['warnings']} warnings, {counts['windows']} windows. Written by the planner; "
            f"edit the input tabs, not this one.")


def tabs_with_status(document: dict, line: str) -> tuple[dict[str, list], dict[str, int]]:
    """The output tabs with the status line above the Violations header, and each tab's number
    of header rows (frozen, bold)."""
    from .output_tabs import OUTPUT_TABS, VIOLATIONS, output_tabs

    tabs = output_tabs(document)
    tabs[VIOLATIONS] = [[line]] + tabs[VIOLATIONS]
    return tabs, {title: 2 if title == VIOLATIONS else 1 for title in OUTPUT_TABS}


def write_run(sink: GoogleSheetSink, run: Run) -> None:
    """The output tabs of a validated run (its plan, its counts on the status line).

    Raises SourceError when the sheet cannot be written."""
    line = status_line(run.content_hash, run.checked_at, run.counts)
    sink.write(*tabs_with_status(run.document, line))
