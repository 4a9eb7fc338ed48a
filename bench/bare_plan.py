"""The floor for ``planner plan WORKBOOK``: the same work with nothing but openpyxl and the
planning core. Reads the .xlsx (sheets/xlsx.py, openpyxl), validates, plans, prints the summary
lines; no click, no api package, no settings. bench_cli.py times the two against each other.

    python bench/bare_plan.py examples/fleet.xlsx
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rules.plan.make import plan_document  # noqa: E402
from rules.plan.text import summary_lines  # noqa: E402
from rules.validation.workbook import validate  # noqa: E402
from sheets.xlsx import XlsxSource  # noqa: E402

document = plan_document(validate(XlsxSource(sys.argv[1]).read()))
print("\n".join(summary_lines(document)))
