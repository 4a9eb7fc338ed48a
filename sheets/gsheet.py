"""A live Google Sheet as a workbook: read every input tab in one request, write the outputs in one.

- ``GoogleSheetSource(id, client).read()`` -> RawWorkbook, as the .xlsx reader gives (same cell
  references): one ``values:batchGet`` of the input tabs, unformatted values, serial-number dates.
  ``snapshot()`` also gives the content hash of the input tabs (what the watcher and the
  webhook compare, and what a publication records).
- ``GoogleSheetSink(id, client).write(tabs)`` replaces the output tabs in one atomic
  ``spreadsheets:batchUpdate``; the input tabs are never touched.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from rules import contract
from rules.model import RawWorkbook, Table

from .gsheet_client import GoogleConfig, SheetApiError, SheetsClient, connect
from .gsheet_requests import MAX_REQUEST_BYTES, fitting_body, sheets_by_title
from .source import SourceError

INPUT_TABS = tuple(tab.name for tab in contract.TABS)
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
               "majorDimension": "ROWS"}


@dataclass(frozen=True)
class Snapshot:
    """The input tabs as read, and a hash of exactly what was read (titles and values)."""

    raw: RawWorkbook
    content_hash: str


def quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def title_of(a1_range: str) -> str:
    """The tab title of a range Google echoes: ``'My tab'!A1:B2`` -> ``My tab``."""
    if a1_range.startswith("'"):
        end = 1
        while True:
            end = a1_range.index("'", end)
            if a1_range[end + 1:end + 2] != "'":
                return a1_range[1:end].replace("''", "'")
            end += 2
    return a1_range.rsplit("!", 1)[0]


def content_hash(raw: RawWorkbook) -> str:
    """sha256 of the input tabs' titles and cells, in contract order: equal for equal input."""
    tables = [raw.table(name) for name in INPUT_TABS]
    canonical = json.dumps([[t.title, t.rows] for t in tables if t is not None],
                           ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def table(title: str, values: list[list]) -> Table:
    """Rows as the xlsx reader gives them: blank cells None, trailing blanks left out (Google
    already leaves them out, and sends a blank row as [])."""
    return Table(title, tuple(tuple(None if cell == "" else cell for cell in row) for row in values))


_URL_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")


def spreadsheet_id(reference: str) -> str:
    """The id in ``gsheet:`` references: the id itself, or the sheet's URL as a browser shows it."""
    match = _URL_ID.search(reference)
    reference = match[1] if match else reference.strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]+", reference):
        raise SourceError(f"gsheet:{reference} is not a spreadsheet id: use the long id from the "
                          "sheet's address (docs.google.com/spreadsheets/d/<id>/edit)")
    return reference


def open_gsheet(reference: str, settings: Mapping) -> "GoogleSheetSource":
    config = GoogleConfig.from_mapping(settings)
    return GoogleSheetSource(spreadsheet_id(reference), lambda: connect(config))


class GoogleSheetSource:
    """``client``: a SheetsClient, or a function making one when first needed (so a missing key
    file is reported when the sheet is read, as a SourceError, like any unreadable workbook)."""

    def __init__(self, spreadsheet_id: str, client: SheetsClient | Callable[[], SheetsClient]):
        self.spreadsheet_id, self._client = spreadsheet_id, client
        self.description = f"gsheet:{spreadsheet_id}"

    @property
    def client(self) -> SheetsClient:
        if not isinstance(self._client, SheetsClient):
            self._client = self._client()
        return self._client

    def read(self) -> RawWorkbook:
        return self.snapshot().raw

    def snapshot(self) -> Snapshot:
        """One batchGet of the input tabs. If one is missing, Google refuses the whole request:
        then one metadata request finds which exist, and those are read (validation reports
        the missing tab as for a workbook)."""
        try:
            ranges = self._batch_get(INPUT_TABS)
        except SheetApiError as error:
            if error.code != 400 or "Unable to parse range" not in error.google_message:
                raise
            present = sheets_by_title(self.client.metadata(self.spreadsheet_id))
            titles = [present[t.lower()]["properties"]["title"] for t in INPUT_TABS if t.lower() in present]
            ranges = self._batch_get(titles) if titles else []
        raw = RawWorkbook.of(table(title, values) for title, values in ranges)
        return Snapshot(raw, content_hash(raw))

    def _batch_get(self, titles: Sequence[str]) -> list[tuple[str, list]]:
        answer = self.client.values_batch_get(self.spreadsheet_id, [quoted(t) for t in titles],
                                              READ_PARAMS)
        try:
            return [(title_of(r["range"]), r.get("values", [])) for r in answer["valueRanges"]]
        except (KeyError, TypeError, ValueError):
            raise SourceError(f"{self.description}: unexpected answer from Google Sheets") from None


def output_editors(protection: str | None, client: SheetsClient) -> tuple[str, ...]:
    """Who may edit the output tabs, by SHEET_PROTECTION: ``warning`` protects them with a
    warning only; anything else (default ``editors``) leaves only the service account (and the
    sheet's owner, whom Google never locks out)."""
    return () if protection == "warning" else (client.account,)


class GoogleSheetSink:
    """Writes output tabs: one batchUpdate, so a failure leaves the previous outputs as they were."""

    def __init__(self, spreadsheet_id: str, client: SheetsClient, editors: Sequence[str] = (),
                 max_request_bytes: int = MAX_REQUEST_BYTES):
        self.spreadsheet_id, self.client = spreadsheet_id, client
        self.editors, self.max_request_bytes = tuple(editors), max_request_bytes

    def write(self, tabs: Mapping[str, Sequence[Sequence]], header_rows: Mapping[str, int]) -> None:
        inputs = {t.lower() for t in INPUT_TABS}
        clash = [title for title in tabs if title.lower() in inputs]
        if clash:
            raise ValueError(f"refusing to write input tabs: {', '.join(clash)}")

        def attempt() -> None:
            # The metadata is read again on a retry, so a batch that did land is not re-added.
            metadata = self.client.http.fetch_sheet_metadata(self.spreadsheet_id)
            body = fitting_body(metadata, tabs, header_rows, self.editors, self.max_request_bytes)
            self.client.http.request("post", SPREADSHEET_BATCH_UPDATE_URL % self.spreadsheet_id,
                                     data=body, headers={"Content-Type": "application/json"})

        self.client.call(f"writing gsheet:{self.spreadsheet_id}", self.spreadsheet_id, attempt)
