"""Run the fake Google API on its own, holding a workbook, to try the live-sheet commands by hand.

    python -m tests.fakes.serve examples/fleet.xlsx [--port 8765]

It prints the environment to export (a service-account key file whose token_uri is the fake's,
PLANNER_SHEETS_API_URL, PLANNER_DRIVE_API_URL, PLANNER_SHEET_ID); then ``flask --app wsgi plan
gsheet:$PLANNER_SHEET_ID
--write-back``, ``flask --app wsgi watch`` and the API's webhook work as against Google.
Ctrl-C stops it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from sheets.xlsx import XlsxSource

from .service_account import write_key_file
from .sheets_api import FakeSheetsApi


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", help="an .xlsx workbook whose tabs the sheet starts with")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    raw = XlsxSource(args.workbook).read()
    fake = FakeSheetsApi().start(port=args.port)
    sheet = fake.create_spreadsheet(Path(args.workbook).stem, {
        t.title: [list(row) for row in t.rows] for t in raw.tables.values()})
    key = write_key_file(Path(tempfile.mkdtemp()) / "fake-key.json", fake.token_uri)
    print(f"export PLANNER_GOOGLE_APPLICATION_CREDENTIALS={key} PLANNER_SHEETS_API_URL={fake.url} "
          f"PLANNER_DRIVE_API_URL={fake.url} PLANNER_SHEET_ID={sheet}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
