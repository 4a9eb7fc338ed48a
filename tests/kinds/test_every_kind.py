"""Each rule kind of the contract has its own test file here (docs/architecture.md)."""
from pathlib import Path

from rules.contract import KINDS


def test_every_rule_kind_in_the_contract_has_a_test_file_of_its_name():
    here = {path.name for path in Path(__file__).parent.glob("test_*.py")}
    assert [k.name for k in KINDS if f"test_{k.name}.py" not in here] == []
