"""Cost of the condition language: parsing a cell and matching a value, per call.

    python -m bench.conditions_bench [--repeat N]

Matching runs once per (cluster, rule condition) in the plain evaluator, so its cost times
clusters × condition cells bounds that evaluator's time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import timeit

from rules.conditions import parse

CASES = [
    ("nodes", "number", "> 400", 512),
    ("nodes", "number", "not [100..400), 7, < 2", 250),
    ("geo", "text", "EU, US, UK", "Uk"),
    ("sku", "text", "not H100, H200, GB200", "A100"),
    ("services", "list", "not api, chat", ("batch", "chat")),
    ("pinned_date", "date", "[2026-01-05..2026-01-11]", dt.date(2026, 1, 8)),
    ("canary", "bool", "yes", "Y"),
]


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=100_000)
    repeat = args.parse_args(argv).repeat
    print(f"{'cell':32} {'parse µs':>9} {'match µs':>9}")
    for attribute, kind, cell, value in CASES:
        parsing = timeit.timeit(lambda: parse(cell, attribute, kind), number=repeat // 10)
        condition = parse(cell, attribute, kind)
        matching = timeit.timeit(lambda: condition.matches(value), number=repeat)
        print(f"{cell:32} {parsing / (repeat // 10) * 1e6:9.1f} {matching / repeat * 1e6:9.2f}")


if __name__ == "__main__":
    main()
