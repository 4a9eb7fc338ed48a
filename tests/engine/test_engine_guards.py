"""Each sharp edge of durable_rules 2.0.28, and the guard our host puts on it (rules/engine/durable/host.py)."""
import dataclasses
import json
import re
import resource
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import durable_rules_engine
import pytest

from rules.engine.classify import Matches, enabled_rules
from rules.engine.durable.classify import _ruleset
from rules.engine.evaluators import PLAIN, durable_rules
from rules.engine.durable.compile import MAX_SLOTS, TooComplexError, attribute_keys, slots
from rules.engine.durable.host import BATCH, CATCH_ALL, EngineError, FactIds, dumps, fnv1_32, host
from rules.model import Cluster, Region, Rule, Validated, Workbook
from rules.plan.make import plan_document
from rules.validation.settings import fleet_caps
from tests.engine_fleets import condition, random_workbook
from tests.engine_fleets import settings as fleet_settings

DURABLE = durable_rules()

ROOT = Path(__file__).resolve().parents[2]
REGION = Region("r", "EU", "high", "UTC", {})


def book(clusters, rules=()):
    return Workbook(tuple(clusters), (REGION,), fleet_settings(), tuple(rules),
                    fleet_caps(fleet_settings()))


def cluster(name, **fields):
    fields.setdefault("nodes", 10)
    return Cluster(name=name, region="r", sku=fields.pop("sku", "H100"), workload="research",
                   duration_hours=6.0, row=2, **fields)


def row(rule_id, kind, value=None, row_number=2, **cells):
    conditions = tuple((a, condition(a, text)) for a, text in sorted(cells.items()))
    return Rule(rule_id, kind, value, None, None, "error", True, "", conditions, row_number,
                f"Rules!A{row_number}")


def run(rules, facts, actions):
    with host().session(rules, actions) as session:
        session.assert_facts(facts)


# Facts are identified by a 32-bit hash ---------------------------------------------------------

def test_two_identical_facts_both_fire_because_the_host_gives_each_an_id():
    got = []
    run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c", "n": 1}, {"t": "c", "n": 1}],
        {"r": lambda ms: got.extend(m["m"]["id"] for m in ms)})
    assert len(got) == 2


def test_two_clusters_that_look_alike_to_every_rule_are_both_classified():
    twins = [cluster("twin-a"), cluster("twin-b")]
    rules = [row("p", "priority", 1, sku="H100")]
    assert DURABLE.classify(book(twins, rules)).members["p"] == ("twin-a", "twin-b")


def test_the_engine_drops_a_fact_whose_id_hashes_like_another_and_our_ids_never_do():
    assert fnv1_32("f6059") == fnv1_32("f264602")  # a real collision of the engine's hash
    handle = durable_rules_engine.create_ruleset("collision", dumps({"r": {"all": [{"m": {"t": "c"}}]}}))
    try:
        first, _ = durable_rules_engine.assert_fact(handle, dumps({"id": "f6059", "t": "c"}))
        second, _ = durable_rules_engine.assert_fact(handle, dumps({"id": "f264602", "t": "c"}))
    finally:
        durable_rules_engine.delete_ruleset(handle)
    assert (first, second) == (0, 2)  # 2: "already observed", the second fact is gone
    ids = FactIds()
    issued = [ids.next() for _ in range(270_000)]
    assert "f264602" not in issued
    assert len({fnv1_32(i) for i in issued}) == len(issued)


def test_a_fact_the_caller_identifies_itself_is_refused():
    with pytest.raises(EngineError):
        run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c", "id": "mine"}], {})


# A fact no rule consumes ------------------------------------------------------------------------

def test_without_a_catch_all_the_engine_reports_a_fact_no_rule_matches():
    handle = durable_rules_engine.create_ruleset("unmatched", dumps({"r": {"all": [{"m": {"t": "c"}}]}}))
    try:
        code, _ = durable_rules_engine.assert_facts(handle, dumps([{"id": "1", "t": "other"}]))
    finally:
        durable_rules_engine.delete_ruleset(handle)
    assert code == 1  # durable.engine raises MessageNotHandledException, and stops the chain


def test_a_cluster_matching_no_rule_is_classified_and_the_others_still_are():
    clusters = [cluster("lonely", sku="A100"), cluster("busy")]
    rules = [row("p", "priority", 1, sku="H100"), row("x", "exclude", None, 3, sku="GB200")]
    result = DURABLE.classify(book(clusters, rules))
    assert result == PLAIN.classify(book(clusters, rules))
    lonely = result.clusters["lonely"]
    assert (lonely.tier, lonely.excluded_by, lonely.constraints) == (None, (), ())
    assert result.members == {"p": ("busy",), "x": ()}


def test_a_fact_that_matches_no_rule_of_ours_is_taken_by_the_catch_all():
    got = []
    run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c"}, {"t": "nobody wants me"}],
        {"r": lambda ms: got.extend(ms), CATCH_ALL: lambda ms: got.extend(ms)})
    assert len(got) == 3  # r once, the catch-all twice


# Exceptions inside actions ----------------------------------------------------------------------

def test_an_error_in_an_action_surfaces_as_a_python_exception_and_the_host_stays_usable():
    def broken(matches):
        raise ValueError("action failed")

    with pytest.raises(ValueError, match="action failed"):
        run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c"}], {"r": broken})
    got = []
    run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c"}], {"r": got.extend})
    assert len(got) == 1


def test_forward_chaining_continues_through_facts_derived_by_actions():
    got = []
    rules = {"a": {"all": [{"m": {"t": "start"}}]}, "b": {"all": [{"m": {"t": "derived"}}]}}
    run(rules, [{"t": "start"}], {"a": lambda ms: [{"t": "derived"}] * 3, "b": got.extend})
    assert len(got) == 3


# State and rulesets are deleted; delete_state is never called on a state that never fired -------

def _max_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_memory_stays_flat_over_many_evaluations():
    workbook = random_workbook(1, clusters=200)
    for _ in range(5):
        DURABLE.classify(workbook)
    before = _max_rss_kb()
    for _ in range(50):
        DURABLE.classify(workbook)
    # Without deleting each state this grows by ~300 MB (about 6 MB an evaluation).
    assert _max_rss_kb() - before < 30_000


def test_sessions_where_no_rule_fires_end_cleanly_even_on_a_dirty_heap():
    # The bare engine frees uninitialised pointers in delete_state when nothing fired: on a heap
    # dirtied by earlier evaluations that kills the process (segfault). Run it in a child.
    script = textwrap.dedent("""
        from rules.engine.durable.host import host
        rules = {"r": {"all": [{"m": {"$and": [{"t": "c"}, {"$gt": {"nodes": 100}}]}}]}}
        for i in range(20):
            with host().session(rules, {}) as s:
                s.assert_facts([{"t": "c", "nodes": 500} for _ in range(50)])
            junk = [bytes([65]) * 4000 for _ in range(100)]
            del junk
        for i in range(20):
            with host().session(rules, {}) as s:
                s.assert_facts([{"t": "c", "nodes": 5}])
            with host().session(rules, {}) as s:
                pass
        print("survived")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "survived"), done.stderr


def test_an_empty_fleet_classifies_to_nothing():
    assert DURABLE.classify(book([], [row("p", "priority", 1, sku="H100")])).members == {"p": ()}


def test_the_cyclic_garbage_collector_is_back_as_it_was_after_a_session_even_a_failed_one():
    import gc

    def broken(matches):
        raise ValueError("action failed")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c"}], {"r": broken})
    assert gc.isenabled()
    gc.disable()
    try:
        run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c"}], {})
        assert not gc.isenabled()
    finally:
        gc.enable()


# Threads ----------------------------------------------------------------------------------------

def test_evaluations_start_no_threads():
    workbook = random_workbook(2, clusters=30)
    DURABLE.classify(workbook)
    before = threading.active_count()
    for _ in range(20):
        DURABLE.classify(workbook)
    assert threading.active_count() == before
    assert not any("Timer" in type(t).__name__ for t in threading.enumerate())


def test_evaluations_on_several_threads_at_once_stay_correct_and_leave_the_collector_on():
    """The C engine has no locking (its handle table is global): the host runs one session at a
    time, which also keeps the garbage collector's pause and resume paired."""
    import gc
    from concurrent.futures import ThreadPoolExecutor

    books = [random_workbook(seed, clusters=80) for seed in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(DURABLE.classify, books * 3))
    assert results == [PLAIN.classify(b) for b in books] * 3
    assert gc.isenabled()


# Engine limits ------------------------------------------------------------------------------------

def test_numbers_the_engine_cannot_parse_with_an_exponent_are_written_plainly():
    assert not re.search(r"\de", dumps({"a": 0.00001, "b": 1.5e20, "c": [2e-7]}))
    tiny = [cluster("tiny", extra={"weight": 0.00001}), cluster("huge", extra={"weight": 1e20}),
            cluster("plain", extra={"weight": 2.5})]
    rules = [row("small", "priority", 1, weight="< 0.001"), row("big", "priority", 2, 3, weight="> 1000000")]
    assert DURABLE.classify(book(tiny, rules)) == PLAIN.classify(book(tiny, rules))
    assert DURABLE.classify(book(tiny, rules)).members == {"small": ("tiny",), "big": ("huge",)}


def test_no_or_is_compiled_directly_inside_an_item_test():
    """An $or directly inside $iany/$iall makes create_ruleset fail at random (error 102)."""
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$iany", "$iall"):
                    (inner,) = value.values()
                    assert "$or" not in inner, node
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for seed in range(40):
        rules = enabled_rules(random_workbook(seed))
        definition, _, _ = _ruleset(rules, attribute_keys(rules), Matches({r.id: set() for r in rules}))
        walk(definition)


@pytest.mark.parametrize("groups", [14, 15, 16])
def test_the_expression_budget_of_a_pattern_is_what_the_engine_accepts(groups):
    expression = {"$and": [{"t": "c"}] + [{"$or": [{"a": i}, {"b": i}]} for i in range(groups)]}
    accepted = slots(expression) <= MAX_SLOTS
    try:
        handle = durable_rules_engine.create_ruleset(f"budget{groups}", dumps({"r": {"all": [{"m": expression}]}}))
        durable_rules_engine.delete_ruleset(handle)
        created = True
    except Exception:
        created = False
    assert created == accepted


def test_a_row_with_more_conditions_than_one_pattern_holds_is_split_and_still_matches_right():
    cells = {f"col{i}": "not a, b" for i in range(20)}
    clusters = [cluster("plain"), cluster("odd", extra={"col3": "A"}), cluster("other", sku="A100")]
    rows = [row("wide", "exclude", None, 2, sku="not A100", **cells),
            row("wide-tier", "priority", 1, 3, **cells)]
    result = DURABLE.classify(book(clusters, rows))
    assert result == PLAIN.classify(book(clusters, rows))
    assert result.members == {"wide": ("plain",), "wide-tier": ("other",)}  # odd fails col3


def test_a_cell_with_more_values_than_the_engine_holds_is_a_message_for_planners():
    ranges = ", ".join(f"{2 * i}..{2 * i + 1}" for i in range(15))
    rule = row("ranges", "priority", 1, 7, weight=ranges)
    with pytest.raises(TooComplexError, match=r"rule ranges \(Rules!A7\) has a condition cell .* two rows"):
        DURABLE.classify(book([cluster("c")], [rule]))


def test_a_cell_too_complex_for_the_engine_is_a_sheet_error_in_the_plan_not_a_crash():
    ranges = ", ".join(f"{2 * i}..{2 * i + 1}" for i in range(15))
    validated = Validated(book([cluster("c")], [row("ranges", "priority", 1, 7, weight=ranges)]), ())
    doc = plan_document(validated)
    assert [e["cell"] for e in doc["errors"]] == ["Rules!A7"]
    assert "split the cell's values over two rows" in doc["errors"][0]["message"]
    assert doc["windows"] == []


def test_more_matches_than_one_batch_all_reach_the_action():
    got = []
    run({"r": {"all": [{"m": {"t": "c"}}]}}, [{"t": "c", "n": i} for i in range(BATCH * 2 + 5)],
        {"r": got.append})
    assert sum(map(len, got)) == BATCH * 2 + 5 and len(got) >= 3


# Python version ---------------------------------------------------------------------------------

def test_the_makefile_pins_python_3_11_because_durable_rules_does_not_import_on_3_13():
    assert re.search(r"^PYTHON \?= python3\.11$", (ROOT / "Makefile").read_text(), re.MULTILINE)


# Determinism --------------------------------------------------------------------------------------

def _as_json(classification) -> str:
    return json.dumps(dataclasses.asdict(classification), default=str)


def test_the_classification_does_not_depend_on_row_order_in_memory_or_on_hash_seeds():
    workbook = random_workbook(5)
    first = _as_json(DURABLE.classify(workbook))
    shuffled = dataclasses.replace(workbook, clusters=workbook.clusters[::-1], rules=workbook.rules[::-1])
    assert _as_json(DURABLE.classify(shuffled)) == first == _as_json(DURABLE.classify(workbook))
    script = ("import dataclasses, json; from rules.engine.evaluators import durable_rules; "
              "from tests.engine_fleets import random_workbook; "
              "print(json.dumps(dataclasses.asdict(durable_rules().classify(random_workbook(5))), default=str))")
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, timeout=120).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert outputs == {first}
