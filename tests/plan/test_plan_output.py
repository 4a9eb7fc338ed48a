"""The Schedule, Violations and Summary tabs, and the .xlsx written for people."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import replace

import openpyxl

from rules.model import SheetError
from rules.placement.loop import place
from rules.plan.document import Document, Violation
from rules.plan.make import assemble, document
from sheets.memory import MemorySource
from sheets.output_tabs import DAILY_HEADER, SCHEDULE_HEADER, output_tabs
from sheets.xlsx_output import write_plan_xlsx
from rules.engine.evaluators import PLAIN
from tests.workbooks import D, cluster, rule, workbook

FORMULA = '=HYPERLINK("http://evil.example","x")'


def plan_doc():
    book = workbook(
        [cluster("a", 600), cluster("b", 600), cluster("huge", 5000), cluster("old", 5, status="done")],
        [rule("soft", "cap_nodes", 100, severity="warning")],
    )
    # Validation refuses a formula typed as a name; a name that reads like one must still be
    # written as text, whatever let it through.
    book = replace(book, clusters=(replace(book.clusters[0], name=FORMULA), *book.clusters[1:]))
    classification = PLAIN.classify(book)
    violations = [Violation("soft", "warning", "600 nodes out, over 100", "Rules!A2", None, D(2026, 1, 5)),
                  Violation(None, "error", "huge cannot be placed", "Settings!B4", "huge",
                            source="unscheduled")]
    return document(assemble(book, classification, place(book, classification), violations)).as_json()


def input_source():
    return MemorySource({"Clusters": [["cluster", "nodes"], [FORMULA, 600]],
                         "Schedule": [["stale", "rows"], ["from", "last time"]]})


def test_the_output_tabs_list_windows_then_unscheduled_and_excluded_clusters():
    tabs = output_tabs(plan_doc())
    schedule = tabs["Schedule"]
    assert schedule[0] == SCHEDULE_HEADER
    assert [(r[0], r[1], r[2]) for r in schedule[1:]] == [
        (D(2026, 1, 5), FORMULA, "scheduled"), (D(2026, 1, 6), "b", "scheduled"),
        (None, "huge", "unscheduled"), (None, "old", "excluded")]
    assert tabs["Violations"][1][:6] == ["error", "unscheduled", None, "Settings!B4", "huge", None]
    assert tabs["Violations"][2][:3] == ["warning", "rule", "soft"]
    assert tabs["Violations"][2][5] == D(2026, 1, 5)
    summary = tabs["Summary"]
    assert ["peak nodes out", 600] in summary
    header = next(i for i, row in enumerate(summary) if row[:len(DAILY_HEADER)] == DAILY_HEADER)
    # the warning over its cap on Jan 5 gets its peak and cap, on that day only
    assert summary[header][len(DAILY_HEADER):] == ["soft peak (warning)", "soft cap (warning)"]
    assert summary[header + 1:] == [[D(2026, 1, 5), 600, 1000, 1, "11:00", "17:00", 600, 100],
                                    [D(2026, 1, 6), 600, 1000, 1, "11:00", "17:00", None, None]]


def test_an_invalid_workbook_shows_its_errors_on_the_violations_tab():
    tabs = output_tabs(Document(errors=(SheetError("Clusters!D7", "nodes must be a whole number"),)).as_json())
    assert tabs["Violations"][1] == ["sheet error", None, None, "Clusters!D7", None, None,
                                     "nodes must be a whole number"]
    assert tabs["Schedule"] == [SCHEDULE_HEADER]


def test_the_xlsx_has_the_input_tabs_and_fresh_output_tabs_with_text_never_formulas(tmp_path):
    out = tmp_path / "plan.xlsx"
    write_plan_xlsx(out, input_source().read(), plan_doc())
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Clusters", "Schedule", "Violations", "Summary"]
    schedule = book["Schedule"]
    assert schedule["A1"].value == "date" and schedule.freeze_panes == "A2"
    assert schedule["B2"].value == FORMULA and schedule["B2"].data_type == "s"
    assert book["Clusters"]["A2"].data_type == "s"
    assert isinstance(schedule["A2"].value, dt.datetime) and schedule["A2"].number_format == "yyyy-mm-dd"
    assert schedule.column_dimensions["B"].width > 20
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())


def test_the_summary_chart_draws_the_cap_as_a_step_and_marks_a_warning_on_its_day(tmp_path):
    out = tmp_path / "plan.xlsx"
    write_plan_xlsx(out, input_source().read(), plan_doc())
    with zipfile.ZipFile(out) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    series = re.findall(r"<ser>.*?</ser>", chart, flags=re.S)
    titles = [re.search(r"<f>'Summary'!(\w+)</f>", one)[1] for one in series]
    summary = openpyxl.load_workbook(out)["Summary"]
    assert [summary[cell].value for cell in titles] == [
        "peak nodes out", "cap", "soft peak (warning)", "soft cap (warning)"]
    assert all('<smooth val="0"/>' in one for one in series)  # straight, never smoothed
    # the cap: a line through two points a day (its step), no marks; the others: marks only
    assert '<symbol val="none"/>' in series[1] and "<a:noFill/>" not in series[1].split("<marker>")[0]
    assert all("<a:noFill/>" in one.split("<marker>")[0] for one in (series[0], *series[2:]))
    step = re.search(r"<xVal><numRef><f>'Summary'!\$(\w+)\$(\d+):\$\w+\$(\d+)</f>", series[1])
    assert int(step[3]) - int(step[2]) + 1 == 2 * 2  # two campaign days, two points each
    # dates along the bottom, nodes on the left, both shown
    assert re.findall(r'<axPos val="(\w)"/>', chart) == ["b", "l"]
    assert chart.count('<delete val="0"/>') == 2


def test_an_xlsx_input_keeps_its_tabs_and_has_its_old_output_tabs_replaced(tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_plan_xlsx(first, input_source().read(), plan_doc())
    write_plan_xlsx(second, str(first), plan_doc())
    book = openpyxl.load_workbook(second)
    assert book.sheetnames == ["Clusters", "Schedule", "Violations", "Summary"]
    assert book["Schedule"].max_row == 5
    assert book["Clusters"]["A2"].value == FORMULA and book["Clusters"]["A2"].data_type == "s"


def test_the_same_plan_writes_the_same_xlsx_bytes_every_time(tmp_path):
    doc = plan_doc()
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_plan_xlsx(first, input_source().read(), doc)
    write_plan_xlsx(second, input_source().read(), doc)
    assert first.read_bytes() == second.read_bytes()
