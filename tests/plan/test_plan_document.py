"""The JSON plan: its fields, its summary, and the same bytes for the same workbook."""
from __future__ import annotations

import json
from dataclasses import replace

from rules.model import SheetError, Validated
from rules.placement.greedy import place
from rules.plan.document import Violation, to_json
from rules.plan.make import assemble, document, plan_document
from rules.engine.evaluators import PLAIN
from tests.workbooks import D, cluster, rule, workbook


def doc(book, violations=()):
    classification = PLAIN.classify(book)
    return document(assemble(book, classification, place(book, classification), violations)).as_json()


def campaign(clusters=None):
    clusters = clusters or [
        cluster("swc-canary", 8, "swedencentral", canary=True),
        cluster("eus-big", 1200, "eastus", workload="applied", rolling=True),
        cluster("weu-1", 300, "westeurope", workload="applied"),
        cluster("jpe-1", 300, "japaneast", workload="applied"),
        cluster("wus-1", 500, "westus"),
        cluster("a100", 64, "eastus", sku="A100"),
        cluster("old", 10, status="done"),
    ]
    return workbook(clusters, [
        rule("scope", "exclude", when={"sku": "A100"}),
        rule("canary-first", "priority", 1, when={"canary": True}),
        rule("research", "priority", 2, when={"workload": "research"}),
        rule("applied", "priority", 3, when={"workload": "applied"}),
        rule("spread", "spread", "area", when={"workload": "applied"}),
        rule("soak", "after", "canary-first", when={"canary": False}),
        rule("first-days", "cap_nodes", 600, to=D(2026, 1, 7)),
        rule("roll", "rolling", 25, when={"rolling": True}),
    ], daily_node_cap=1000, deadline=D(2026, 1, 12))


def test_the_plan_document_has_the_fields_of_issue_3_and_each_windows_time_zone():
    d = doc(campaign())
    assert set(d) == {"windows", "excluded", "unscheduled", "violations", "errors", "summary",
                      "notice_hours"}
    assert set(d["windows"][0]) == {"cluster", "date", "start", "end", "nodes", "batch", "batches",
                                    "tier", "region", "geo", "rules", "timezone", "id", "retry",
                                    "retry_of", "state", "failed_nodes"}
    assert d["windows"][0] == {"timezone": "Europe/Stockholm",
        "cluster": "swc-canary", "date": "2026-01-05", "start": "2026-01-05T11:00:00+01:00",
        "end": "2026-01-05T17:00:00+01:00", "nodes": 8, "batch": 1, "batches": 1, "tier": 1,
        "region": "swedencentral", "geo": "EU", "rules": ["canary-first"],
        "id": "swc-canary-1-21ad706d", "retry": 0, "retry_of": None, "state": "planned",
        "failed_nodes": 0}
    assert d["excluded"] == [{"cluster": "a100", "rules": ["scope"], "reason": "excluded by rule scope"},
                             {"cluster": "old", "rules": [], "reason": "status is done"}]
    assert set(d["summary"]) == {
        "first_date", "last_date", "days", "peak_nodes_out", "peak_date", "peak_start",
        "peak_end", "timezone", "daily_node_cap",
        "nodes_scheduled", "clusters_scheduled", "windows", "excluded", "unscheduled", "errors",
        "warnings", "deadline", "deadline_met", "daily", "bound", "spread", "optimiser"}


def test_the_combined_rules_give_the_expected_schedule():
    d = doc(campaign())
    got = [(w["date"], w["cluster"], w["nodes"], w["batch"]) for w in d["windows"]]
    assert got == [  # sorted by date, then cluster
        ("2026-01-05", "swc-canary", 8, 1),
        # soak: nothing before Jan 6; first-days caps 600 until Jan 7; research before applied
        ("2026-01-06", "wus-1", 500, 1),
        # applied, spread over areas, all on Jan 7: Tokyo, Amsterdam and New York windows are
        # 02:00-08:00, 10:00-16:00 and 16:00-22:00 UTC, never out together under first-days' 600
        ("2026-01-07", "eus-big", 300, 1),
        ("2026-01-07", "jpe-1", 300, 1),
        ("2026-01-07", "weu-1", 300, 1),
        ("2026-01-08", "eus-big", 300, 2),
        ("2026-01-09", "eus-big", 300, 3),
        ("2026-01-10", "eus-big", 300, 4),
    ]
    s = d["summary"]
    assert (s["first_date"], s["last_date"], s["days"]) == ("2026-01-05", "2026-01-10", 6)
    # wus-1 is out 19:00 Jan 6 to 01:00 Jan 7 UTC: the peak, cut at the campaign day's end
    assert (s["peak_nodes_out"], s["peak_date"], s["peak_start"], s["peak_end"]) == (
        500, "2026-01-06", "2026-01-06T19:00:00+00:00", "2026-01-07T00:00:00+00:00")
    assert (s["nodes_scheduled"], s["clusters_scheduled"], s["windows"]) == (2308, 5, 8)
    assert s["deadline_met"] is True
    assert [(x["date"], x["nodes_out"], x["peak_start"][11:16], x["clusters"], x["cap"])
            for x in s["daily"][:4]] == [
        ("2026-01-05", 8, "10:00", 1, 600), ("2026-01-06", 500, "19:00", 1, 600),
        ("2026-01-07", 500, "00:00", 3, 600), ("2026-01-08", 300, "16:00", 1, 1000)]


def test_a_plan_ending_after_the_deadline_says_the_deadline_is_missed():
    book = replace(campaign(), settings=replace(campaign().settings, deadline=D(2026, 1, 9)))
    s = doc(book)["summary"]
    assert s["deadline"] == "2026-01-09" and s["deadline_met"] is False


def test_violations_are_sorted_and_counted_by_severity():
    vs = [Violation("b", "warning", "w", "Rules!A3", None, D(2026, 1, 6)),
          Violation("a", "error", "e", "Rules!A2", "x", D(2026, 1, 6)),
          Violation(None, "error", "late", "Settings!B3", source="deadline")]
    d = doc(campaign(), vs)
    assert [(v["rule"], v["source"]) for v in d["violations"]] == [
        (None, "deadline"), ("a", "rule"), ("b", "rule")]
    assert (d["summary"]["errors"], d["summary"]["warnings"]) == (2, 1)


def test_an_invalid_workbook_gives_only_its_errors():
    d = plan_document(Validated(None, (SheetError("Clusters!D7", "nodes must be a whole number"),)))
    assert d == {"windows": [], "excluded": [], "unscheduled": [], "violations": [],
                 "errors": [{"cell": "Clusters!D7", "message": "nodes must be a whole number"}],
                 "summary": {}}


def test_the_same_workbook_gives_the_same_bytes_whatever_the_clusters_row_order():
    book = campaign()
    first = to_json(doc(book))
    assert to_json(doc(book)) == first
    reversed_rows = replace(book, clusters=tuple(reversed(book.clusters)))
    assert to_json(doc(reversed_rows)) == first
    assert json.loads(first)["windows"][0]["cluster"] == "swc-canary"
