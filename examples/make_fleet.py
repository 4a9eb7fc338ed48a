"""Write examples/fleet.xlsx, the campaign of CAMPAIGN.md as a planner would enter it.

    python -m examples.make_fleet [OUT.xlsx]

Deterministic: a fixed seed, sorted rows, no clock; two runs give identical bytes.
"""
from __future__ import annotations

import sys
from pathlib import Path

from examples.fleet_data import cluster_rows, region_rows
from examples.fleet_rules import rule_rows, scenario_rows, settings_rows
from examples.xlsx_file import write

DEFAULT_OUT = Path(__file__).with_name("fleet.xlsx")


def fleet_tabs() -> dict[str, list[list]]:
    """The four tabs of the workbook contract and the optional Scenarios tab, header row
    first."""
    return {
        "Clusters": cluster_rows(),
        "Regions": region_rows(),
        "Settings": settings_rows(),
        "Rules": rule_rows(),
        "Scenarios": scenario_rows(),
    }


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    write(fleet_tabs(), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
