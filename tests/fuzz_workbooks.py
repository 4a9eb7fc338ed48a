"""Workbook mutants for the fuzz harness, and the oracle every mutant must pass.

A mutant is the small valid workbook of tests/workbooks.py with a few mutations: cells replaced
by hostile values (types, extremes, unicode and control characters, formulas, error values,
European numbers, dates with times), rows and columns removed or duplicated, tabs renamed,
duplicated or dropped; some are written to .xlsx and given file-level tricks (merged cells,
hidden tabs, bad style indexes, lying dimensions, cells typed as errors or formulas in the XML).

The oracle: reading either refuses with a SourceError, or validation refuses with errors that
each name a cell, or the plan and every output are made (JSON, .xlsx, CSV, iCalendar, the
Google Sheets requests). Anything else, an exception or a hang, is a fault.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from hypothesis import strategies as st

from rules.model import Formula
from tests.workbooks import valid_tabs

TABS = ("Clusters", "Regions", "Settings", "Rules")
# Values planners and spreadsheets really produce, beside hypothesis' own.
TYPED = (
    "1,800", "1.800", "6,5%", "1 800", "not -", "not(-)", "-", "\u2013", "*", "#REF!", "#N/A",
    "2026-12-09 10:30", "9998-12-31", "46365.4375", "7 Dec 2026", "USA, Europe", "GB20O",
    "not H100, H200, GB20O", ">= 2026-01-12", "[100..400)", "(5..5)", "\u2264 400", "=", "''",
    '"', "not", "yes", "no", "0.06", "1e308", "-0", "2147483648", "9" * 400, "\u00a0", "\ufeffEU",
    "line\nbreak", "tab\there", "x" * 300, "America/New_York", "Mars/Base", "00:00", "23:59:30",
    "24:00", "02:30", "canary-first", "daily_node_cap", "after", "exclude", "cap_percent",
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.sampled_from(TYPED),
    st.text(max_size=24),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.times(),
    st.builds(lambda body: Formula("=" + body), st.text(max_size=12)),
)
TAB = st.sampled_from(TABS)
# Cells set to values that are valid but at the edge of what a campaign means (a setting by its
# name, other tabs by column index on a data row).
EDGES = (
    ("Settings", "deadline", "2027-01-05"), ("Settings", "deadline", "2026-01-05"),
    ("Settings", "window_start", "00:00"), ("Settings", "window_end", "23:59"),
    ("Settings", "window_start", "02:30"), ("Settings", "window_end", "03:00"),
    ("Settings", "daily_node_cap", 1), ("Settings", "daily_node_cap", 10_000_000),
    ("Settings", "default_duration_hours", 0.01), ("Settings", "soak_days", 90),
    ("Settings", "timezone", "Pacific/Chatham"), ("Settings", "timezone", "America/New_York"),
    ("Settings", "timezone", "Asia/Kathmandu"), ("Settings", "start_date", "2027-03-14"),
    ("Settings", "start_date", "2026-10-25"), ("Settings", "work_weekends", "no"),
    ("Clusters", 3, 10_000_000), ("Clusters", 3, 1), ("Clusters", 9, "2027-01-19"),
    ("Clusters", 9, "2025-01-06"), ("Clusters", 6, "yes"), ("Clusters", 8, 0.5),
    ("Regions", 3, "Australia/Lord_Howe"), ("Regions", 3, "America/St_Johns"),
    ("Rules", 2, 0), ("Rules", 2, 100), ("Rules", 2, -10_000_000), ("Rules", 5, "warning"),
    ("Rules", 6, "no"), ("Rules", 3, "2000-01-01"), ("Rules", 4, "2099-12-31"),
)


@st.composite
def mutation(draw):
    """One change: mostly a cell retyped (same meaning, another form) or set to an edge value,
    so that many mutants still plan; else a hostile value or a structural change."""
    kind = draw(st.sampled_from(("retype", "retype", "retype", "edge", "edge", "edge", "cell",
                                 "cell", "row-", "row+", "col-", "col+", "rename", "twin", "drop")))
    if kind == "edge":
        tab, col, value = draw(st.sampled_from(EDGES))
        return "edge", tab, draw(st.integers(1, 9)), col, value
    return kind, draw(TAB), draw(st.integers(0, 12)), draw(st.integers(0, 13)), draw(VALUES)


def retyped(value, pick: int):
    """The same value as another source might hand it over."""
    if isinstance(value, bool):
        return (value, "yes" if value else "no", "TRUE" if value else "false", int(value))[pick % 4]
    if isinstance(value, int):
        return (f"{value:,}", float(value), f" {value} ", f"{value:,}".replace(",", "\u00a0"))[pick % 4]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        day = dt.date.fromisoformat(value)
        return (day, dt.datetime.combine(day, dt.time()), (day - dt.date(1899, 12, 30)).days,
                f"{day.day} {day:%b %Y}")[pick % 4]
    if isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value):
        hours, minutes = map(int, value.split(":"))
        return (dt.time(hours, minutes), (hours * 60 + minutes) / 1440, value + ":00", value)[pick % 4]
    if isinstance(value, str):
        return (value.upper(), f" {value} ", value.replace("-", "\u2013"), f"\u201c{value}\u201d")[pick % 4]
    return value


def mutate(tabs: dict[str, list[list]], kind: str, tab: str, row: int, col: int, value) -> None:
    rows = tabs.get(tab)
    if rows is None:
        return
    if kind == "edge" and isinstance(col, str):  # a setting, by its name
        row = next((i for i, cells in enumerate(rows) if cells and cells[0] == col), len(rows))
        if row == len(rows):
            rows.append([col])
        col, kind = 1, "cell"
    elif kind == "edge":
        row, kind = 1 + row % max(len(rows) - 1, 1), "cell"
    if kind == "retype":
        if row < len(rows) and col < len(rows[row]):
            rows[row][col] = retyped(rows[row][col], col + row)
        return
    if kind == "cell":
        while len(rows) <= row:
            rows.append([])
        cells = rows[row]
        cells.extend([None] * (col + 1 - len(cells)))
        cells[col] = value
    elif kind == "row+" and rows:
        rows.insert(row % len(rows), list(rows[row % len(rows)]))
    elif kind == "row-" and rows:
        rows.pop(row % len(rows))
    elif kind in ("col-", "col+"):
        for cells in (c for c in rows if col < len(c)):
            if kind == "col+":
                cells.insert(col, cells[col])
            else:
                cells.pop(col)
    elif kind == "rename":
        tabs[str(value)[:31] or tab.upper()] = tabs.pop(tab)
    elif kind == "twin":
        tabs[tab.upper() if tab != tab.upper() else tab.lower()] = [list(r) for r in rows]
    elif kind == "drop":
        del tabs[tab]


@st.composite
def mutants(draw) -> tuple[dict[str, list[list]], str | None]:
    """A mutated workbook and the file trick to apply (None: read from memory)."""
    tabs = valid_tabs()
    for step in draw(st.lists(mutation(), min_size=1, max_size=4)):
        mutate(tabs, *step)
    trick = draw(st.sampled_from((None, None, "plain", "merge", "hidden", "style", "dimension",
                                  "error-cell", "formula-cell", "shared-string")))
    return tabs, trick


# --- file-level tricks -------------------------------------------------------------------------

def as_xlsx(tabs: dict[str, list[list]], trick: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(_sheet_title(title, book.sheetnames))
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells, start=1):
                cell = sheet.cell(row=r, column=c)
                cell.value = _storable(value)
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "f" if isinstance(value, Formula) else "s"
    if trick == "merge" and book.worksheets:
        book.worksheets[0].merge_cells("B2:D3")
    if trick == "hidden" and book.worksheets:
        book.worksheets[-1].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return _raw_trick(out.getvalue(), trick)


def _sheet_title(title: str, taken: list[str]) -> str:
    clean = re.sub(r"[\\/*?:\[\]\x00-\x1f\x7f-\x9f\ufffe\uffff]", "_", title)[:31].strip("'") or "Sheet"
    while clean.lower() in (t.lower() for t in taken):
        clean = (clean[:29] + "_x")[:31]
    return clean


def _storable(value):
    """What openpyxl can store in a cell: text without XML-illegal characters, plain numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return float(value)
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and abs(value) == float("inf"):
        return None
    if isinstance(value, (dt.date, dt.datetime)) and value.year < 1900:
        return None
    return value


def _raw_trick(data: bytes, trick: str) -> bytes:
    """The archive with its first sheet's XML edited the way a hand-made file might be."""
    edits = {
        "style": (rb'<c r="A2"( [^>]*)?>', rb'<c r="A2" s="9999">'),
        "dimension": (rb'<dimension ref="[^"]*"/>', rb'<dimension ref="A1:XFD1048576"/>'),
        "error-cell": (rb'<c r="B2"[^>]*>(<v>[^<]*</v>)?</c>', rb'<c r="B2" t="e"><v>#REF!</v></c>'),
        "formula-cell": (rb'<c r="D2"[^>]*>(<v>[^<]*</v>)?</c>', rb'<c r="D2"><f>2*4</f><v>8</v></c>'),
        "shared-string": (rb'<c r="A3" t="s"><v>\d+</v></c>', rb'<c r="A3" t="s"><v>99999</v></c>'),
    }
    if trick not in edits:
        return data
    pattern, replacement = edits[trick]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(pattern, replacement, content, count=1)
            target.writestr(info, content)
    return out.getvalue()


# --- the oracle --------------------------------------------------------------------------------

_CELL = re.compile(r"^.+![A-Z]{1,3}\d+$")


def outcome(tabs: dict[str, list[list]], trick: str | None) -> str:
    """"unreadable", "refused" or "planned"; raises AssertionError (or anything) on a fault."""
    from api.config import from_environ
    from api.formats import to_csv
    from api.ical import to_ical
    from api.windows import with_states
    from rules.plan.document import to_json
    from rules.plan.make import plan_document
    from rules.validation.workbook import validate
    from sheets import xlsx_bytes
    from sheets.gsheet_requests import encode, output_requests
    from sheets.memory import MemorySource
    from sheets.output_tabs import output_tabs
    from sheets.source import SourceError
    from sheets.xlsx import XlsxSource
    from sheets.xlsx_output import plan_workbook

    data = None if trick is None else as_xlsx(tabs, trick)
    source = MemorySource(tabs) if data is None else XlsxSource(data, "mutant.xlsx")
    try:
        raw = source.read()
    except SourceError as error:
        assert str(error).strip()
        return "unreadable"
    validated = validate(raw)
    if validated.errors:
        for error in validated.errors:
            assert error.message.strip() and (error.cell == "" or _CELL.match(error.cell)), error
        return "refused"
    doc = plan_document(validated)
    assert not doc["errors"], doc["errors"]
    to_json(doc)
    xlsx_bytes.stable_bytes(plan_workbook(raw if data is None else data, doc))
    windows = with_states(doc["windows"], {})
    to_csv(windows)
    to_ical(windows, 1, dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc), {}, from_environ({}))
    tabs_out = output_tabs(doc)
    encode(output_requests({}, tabs_out, {title: 1 for title in tabs_out}))
    return "planned"
