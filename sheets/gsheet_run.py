"""One validation run of a live sheet: read the input tabs, validate, plan, write the output tabs.

A run is skipped when the input tabs' content hash equals the last written run's: that is how
our own write-back (which changes only output tabs) never triggers another run, and how a burst
of webhook calls or an idle poller costs one read and nothing else.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from rules.model import RawWorkbook

from .gsheet import GoogleSheetSink, GoogleSheetSource, Snapshot, content_hash
from .gsheet_outcome import FAILED, UNCHANGED, UNREACHABLE, VALIDATED, WRITE_FAILED, Run
from .source import SourceError

log = logging.getLogger("sheets.gsheet")


def status_line(content_hash: str, checked_at: dt.datetime, counts: dict[str, int]) -> str:
    when = checked_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (f"Validated {when} from input tabs {content_hash[:12]}: "
            f"{counts['sheet_errors']} sheet errors, {counts['error_violations']} error violations, "
            f"{counts['warnings']} warnings, {counts['windows']} windows. Written by the planner; "
            f"edit the input tabs, not this one.")


def tabs_with_status(document: dict, line: str) -> tuple[dict[str, list], dict[str, int]]:
    """The output tabs with the status line above the Violations header, and each tab's number
    of header rows (frozen, bold)."""
    from .output_tabs import VIOLATIONS, output_tabs

    tabs = output_tabs(document)
    tabs[VIOLATIONS] = [[line]] + tabs[VIOLATIONS]
    return tabs, {title: 2 if title == VIOLATIONS else 1 for title in tabs}


def check_sheet(source: GoogleSheetSource, sink: GoogleSheetSink, last_hash: str | None,
                now: Callable[[], dt.datetime], force: bool = False,
                snapshot: Snapshot | None = None) -> Run:
    """Read (unless given a snapshot), and run unless the input is unchanged since ``last_hash``."""
    # Imported when a run happens: API workers that only serve reads need not load the engine.
    from rules.scenarios.compare import plan_with_scenarios

    sid = source.spreadsheet_id
    try:
        snapshot = snapshot or source.snapshot()
    except SourceError as error:
        log.warning("gsheet:%s unreachable: %s", sid, error)
        return Run(sid, now(), UNREACHABLE, problem=str(error))
    if snapshot.content_hash == last_hash and not force:
        return Run(sid, now(), UNCHANGED, snapshot.content_hash)
    checked_at = now()
    try:
        document = plan_with_scenarios(snapshot.raw)
    except Exception:  # noqa: BLE001 - a bug in planning must not stop the watcher
        log.exception("gsheet:%s: planning failed", sid)
        return Run(sid, checked_at, FAILED, snapshot.content_hash,
                   problem="planning failed with an internal error (see the server log)")
    run = Run(sid, checked_at, VALIDATED, snapshot.content_hash, document)
    tabs, header_rows = tabs_with_status(document, status_line(snapshot.content_hash, checked_at, run.counts))
    try:
        sink.write(tabs, header_rows)
    except SourceError as error:
        log.warning("gsheet:%s: output tabs not written: %s", sid, error)
        return Run(sid, checked_at, WRITE_FAILED, snapshot.content_hash, document, str(error))
    log.info("gsheet:%s validated: %s", sid, run.counts)
    return run


def write_back(source: GoogleSheetSource, raw: RawWorkbook, document: dict,
               checked_at: dt.datetime, editors=()) -> Run:
    """Write the output tabs of a plan made from ``raw`` (read from ``source``): plan --write-back."""
    run = Run(source.spreadsheet_id, checked_at, VALIDATED, content_hash(raw), document)
    tabs, header_rows = tabs_with_status(document, status_line(run.content_hash, checked_at, run.counts))
    GoogleSheetSink(source.spreadsheet_id, source.client, editors).write(tabs, header_rows)
    return run
