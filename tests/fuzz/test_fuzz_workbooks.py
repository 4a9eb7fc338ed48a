"""Bad input never hurts: every mutant of a valid workbook is refused at its cells (or as an
unreadable file), or planned with every output made; never a traceback, never a hang.

CI runs a derandomized few hundred mutants; FUZZ_EXAMPLES=5000 runs the long campaign that
bench/README.md reports.
"""
import datetime as dt
import os

from hypothesis import HealthCheck, event, given, settings

from tests.fuzz_workbooks import mutants, outcome

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))


@settings(max_examples=EXAMPLES, derandomize=EXAMPLES <= 1000, deadline=dt.timedelta(seconds=30),
          database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutants())
def test_every_mutant_is_refused_with_cells_or_planned_with_every_output(mutant):
    tabs, trick = mutant
    result = outcome(tabs, trick)
    event(f"{result} ({'memory' if trick is None else 'xlsx ' + trick})")
    assert result in ("unreadable", "refused", "planned")
