"""durable_rules and the plain-Python evaluator must classify every fleet identically, so a
fault in either one (or in the translation of conditions to the engine) is caught."""
from collections import Counter

import pytest

from rules.engine.evaluators import PLAIN, durable_rules
from tests.engine_fleets import random_schedule, random_workbook

DURABLE = durable_rules()


@pytest.mark.parametrize("seed", range(40))
def test_the_engine_and_the_plain_evaluator_classify_a_random_fleet_identically(seed):
    workbook = random_workbook(seed)
    assert DURABLE.classify(workbook) == PLAIN.classify(workbook)


def test_the_random_fleets_exercise_every_outcome():
    """Guards the test above against fleets so bland that any evaluator would agree."""
    seen = {"excluded": 0, "tiered": 0, "untiered": 0, "rolled": 0, "spread": 0, "after": 0,
            "constrained": 0, "empty rule": 0, "disabled": 0}
    for seed in range(40):
        workbook = random_workbook(seed)
        result = PLAIN.classify(workbook)
        for one in result.clusters.values():
            seen["excluded"] += bool(one.excluded_by)
            seen["tiered"] += one.tier is not None
            seen["untiered"] += one.tier is None and not one.excluded_by
            seen["rolled"] += one.rolling_rule is not None
            seen["spread"] += bool(one.spread)
            seen["after"] += bool(one.after)
            seen["constrained"] += bool(one.constraints)
        seen["empty rule"] += sum(not members for members in result.members.values())
        seen["disabled"] += sum(not rule.enabled for rule in workbook.rules)
    assert all(count >= 5 for count in seen.values()), seen


@pytest.mark.parametrize("seed", range(30))
def test_the_engine_and_the_plain_checker_find_the_same_violations_in_a_random_schedule(seed):
    workbook = random_workbook(seed)
    classification = PLAIN.classify(workbook)
    schedule = random_schedule(workbook, classification, seed)
    assert DURABLE.violations(workbook, classification, *schedule) == \
        PLAIN.violations(workbook, classification, *schedule)


def test_the_random_schedules_break_every_kind_of_rule():
    kinds = Counter()
    for seed in range(30):
        workbook = random_workbook(seed)
        classification = PLAIN.classify(workbook)
        rules = {r.id: r for r in workbook.rules}
        for found in PLAIN.violations(workbook, classification,
                                           *random_schedule(workbook, classification, seed)):
            kind = rules[found.rule].kind if found.source == "rule" else found.source
            kinds[kind, found.severity] += 1
            kinds["pinned" if found.cluster and found.source == "rule" and kind.startswith("cap_")
                  else "other"] += 1
    expected = [(kind, severity) for kind in ("cap_nodes", "cap_clusters", "cap_percent",
                                              "blackout", "between", "after")
                for severity in ("error", "warning")]
    expected += [("daily_node_cap", "error"), ("deadline", "error"), ("unscheduled", "error"),
                 "pinned"]
    assert all(kinds[key] >= 2 for key in expected), kinds


@pytest.mark.parametrize("seed", [7, 8, 16, 21])
def test_evaluating_in_small_shards_changes_nothing(monkeypatch, seed):
    """Large fleets run in shards of SHARD clusters per session; force many shards here."""
    import rules.engine.durable.check
    import rules.engine.durable.classify

    workbook = random_workbook(seed, clusters=50)
    classification = PLAIN.classify(workbook)
    schedule = random_schedule(workbook, classification, seed)
    expected = PLAIN.violations(workbook, classification, *schedule)
    for module in (rules.engine.durable.classify, rules.engine.durable.check):
        monkeypatch.setattr(module, "SHARD", 7)
    assert DURABLE.classify(workbook) == classification
    assert DURABLE.violations(workbook, classification, *schedule) == expected


def test_rows_too_wide_for_one_engine_pattern_classify_identically():
    """Rows of many negated cells (which blanks pass) exceed one pattern and are split."""
    import dataclasses

    from rules.engine.classify import attributes_of, enabled_rules
    from rules.engine.durable.compile import attribute_keys, cluster_patterns
    from tests.engine_fleets import CELLS, condition

    matched = 0
    for seed in range(10):
        workbook = random_workbook(seed)
        target = attributes_of(workbook)[workbook.clusters[0].name]
        conditions = []  # for each attribute, a negated cell the first cluster passes
        for attribute in sorted(CELLS):
            negated = [condition(attribute, t) for t in CELLS[attribute] if t.startswith("not")]
            passed = [c for c in negated if c.matches(target.get(attribute))]
            conditions += [(attribute, passed[0])] if passed else []
        wide = dataclasses.replace(workbook.rules[0], id="wide", kind="priority", value=0,
                                   enabled=True, row=1, cell="Rules!A1",
                                   conditions=tuple(conditions))
        workbook = dataclasses.replace(workbook, rules=(wide, *workbook.rules))
        rules = enabled_rules(workbook)
        assert len(cluster_patterns(wide, attribute_keys(rules))) > 1
        result = DURABLE.classify(workbook)
        assert result == PLAIN.classify(workbook)
        matched += len(result.members["wide"])
    assert matched > 0
