"""What one validation run of a live sheet came to: its outcome and counts.

Apart from sheets/gsheet_run.py, which does the run, so the API can show and store runs
without loading the Google client libraries (gspread, google-auth) at start-up.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rules.plan.severity import error_violations, warnings

VALIDATED = "validated"  # read, planned and written
UNCHANGED = "unchanged"  # same input as the last written run: nothing done
UNREACHABLE = "unreachable"  # the input tabs could not be read
WRITE_FAILED = "write-failed"  # planned, but the output tabs could not be written
FAILED = "failed"  # planning itself failed (a bug): logged with its traceback


@dataclass(frozen=True)
class Run:
    spreadsheet_id: str
    checked_at: dt.datetime
    outcome: str
    content_hash: str | None = None
    document: dict[str, Any] | None = field(default=None, compare=False)
    problem: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        doc = self.document or {}
        return {"sheet_errors": len(doc.get("errors") or []),
                "error_violations": len(error_violations(doc)),
                "warnings": len(warnings(doc)),
                "windows": len(doc.get("windows") or [])}
