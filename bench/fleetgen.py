"""Synthetic fleets for benchmarks: N clusters shaped like the example campaign.

    python -m bench.fleetgen N OUT.xlsx [--seed S] [--horizon DAYS]

Mostly small clusters, ~14% big (> 400 nodes), a few huge ones that can only be rolled, about
10% out-of-scope SKUs, over ~35 real Azure regions. The rules are the example's
(examples/fleet_rules.py) with the caps scaled so that the plan spans about ``horizon_days``.
Same arguments, same rows.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys

from examples.fleet_data import CLUSTER_HEADER, REGION_HEADER, REGIONS
from examples.fleet_rules import RULE_HEADER, RULES, SETTINGS, cell_of
from examples.xlsx_file import write

START = dt.date(2026, 12, 7)
# More real regions than the example uses: name, code, geo, importance, timezone, area.
MORE_REGIONS = [
    ("centralus", "cus", "US", "high", "America/Chicago", "US"),
    ("westus", "wus", "US", "high", "America/Los_Angeles", "US"),
    ("westcentralus", "wcus", "US", "high", "America/Denver", "US"),
    ("norwayeast", "noe", "NO", "normal", "Europe/Oslo", "rest"),
    ("switzerlandnorth", "szn", "CH", "normal", "Europe/Zurich", "rest"),
    ("polandcentral", "plc", "EU", "high", "Europe/Warsaw", "EU"),
    ("italynorth", "itn", "EU", "high", "Europe/Rome", "EU"),
    ("spaincentral", "spc", "EU", "high", "Europe/Madrid", "EU"),
    ("canadaeast", "cae", "CA", "low", "America/Toronto", "rest"),
    ("australiasoutheast", "ause2", "AU", "normal", "Australia/Melbourne", "rest"),
    ("japanwest", "jpw", "JP", "normal", "Asia/Tokyo", "rest"),
    ("eastasia", "ea", "HK", "normal", "Asia/Hong_Kong", "rest"),
    ("southindia", "ins", "IN", "normal", "Asia/Kolkata", "rest"),
    ("brazilsouth", "brs", "BR", "normal", "America/Sao_Paulo", "rest"),
    ("southafricanorth", "san", "ZA", "low", "Africa/Johannesburg", "rest"),
    ("uaenorth", "uaen", "AE", "low", "Asia/Dubai", "rest"),
]
ALL_REGIONS = sorted(REGIONS + MORE_REGIONS)
IN_SCOPE = ["H100", "H100", "H100", "H200", "H200", "GB200"]
OUT_OF_SCOPE = ["A100", "A100", "MI300X", "V100"]
SMALL_SIZES = [16, 24, 32, 32, 48, 48, 64, 64, 96, 96, 96, 96, 128, 128, 160, 192, 192, 256]
SERVICES = ["api", "api, chat", "chat", "chat, batch", "batch", "embeddings", "api, embeddings"]
TEAMS = {
    "research": ["multimodal", "post-training", "pretraining", "reasoning-research", "safety-research"],
    "applied": ["api-serving", "batch-platform", "chat-serving", "inference-platform"],
}
ROLLING_DAYS = math.ceil(100 / 6)  # a cluster rolled at 6% a day takes 17 batches
USABLE = 0.8  # share of the horizon the node cap is sized for: slack for blackouts and the tail
# Caps hold at every instant, and windows in far-apart zones are not out together: a day holds
# about twice the cap (measured on these fleets), so the cap is sized for half the day's nodes.
AT_ONCE = 0.5


def _cluster(rng: random.Random, index: int) -> list:
    region, code, *_ = rng.choice(ALL_REGIONS)
    draw = rng.random()
    if draw < 0.005:
        nodes, rolling = rng.randrange(1504, 4001, 8), "yes"  # huge: only a rolled plan fits
    elif draw < 0.14:
        nodes, rolling = rng.randrange(408, 1201, 8), "yes" if rng.random() < 0.75 else "no"
    else:
        nodes, rolling = rng.choice(SMALL_SIZES), "no"
    sku = rng.choice(OUT_OF_SCOPE) if rng.random() < 0.1 else rng.choice(IN_SCOPE)
    workload = rng.choice(["research", "applied"])
    services = rng.choice(SERVICES) if workload == "applied" else None
    # As in the example: 4 h for the smallest, 8 h for large ones done whole, else the default.
    duration = 4 if nodes <= 48 else 8 if nodes >= 256 and rolling == "no" else None
    name = f"{sku.lower()}-{code}-{index:05d}"
    return [name, region, sku, nodes, workload, services, rolling, "no", duration, None, None,
            rng.choice(TEAMS[workload])]


def _canary() -> list:
    return ["h100-swc-canary", "swedencentral", "H100", 16, "research", None, "no", "yes", 4, None,
            None, "fleet-reliability"]


def _scaled_caps(clusters: list[list], horizon_days: int) -> dict[str, int]:
    """Caps sized so the in-scope nodes take about the horizon, as the example's do for ~43 days."""
    in_scope = [c for c in clusters if c[2] not in OUT_OF_SCOPE]
    whole = [c[3] for c in in_scope if c[6] == "no"]
    total = sum(c[3] for c in in_scope)
    days = max(horizon_days * USABLE - ROLLING_DAYS / 2, 1)
    daily = max(math.ceil(total * AT_ONCE / days / 100) * 100,
                math.ceil(max(whole, default=1) / 100) * 100)
    whole_big = sum(1 for c in in_scope if c[6] == "no" and c[3] > 400)
    big_per_day = max(2, math.ceil(whole_big / days))
    return {
        "daily_node_cap": daily,
        "cap-first-week": math.ceil(daily * 13 / 18),  # the example's 1,300 / 1,500 / 1,800
        "cap-second-week": math.ceil(daily * 15 / 18),
        "big-two-a-day": big_per_day,
        "big-one-a-day": max(1, big_per_day // 2),
        "important-regions": daily // 2,
    }


def _rules(caps: dict[str, int], deadline: dt.date) -> list[list]:
    rows = []
    for rule in RULES:
        rule = dict(rule, value=caps.get(rule["rule"], rule.get("value")))
        if rule["rule"] == "big-two-a-day":
            rule["to"] = deadline - dt.timedelta(days=1)
        if rule["rule"] == "big-one-a-day":
            rule["from"] = deadline
        if rule["rule"] == "pretraining-run":
            rule["to"] = deadline
        rows.append([cell_of(rule, column) for column in RULE_HEADER])
    return [RULE_HEADER] + rows


def synthetic_fleet(n_clusters: int, seed: int = 0, horizon_days: int = 60) -> dict[str, list[list]]:
    """The four tabs of a fleet of ``n_clusters`` clusters (one of them the canary), header first."""
    if n_clusters < 1 or horizon_days < 7:
        raise ValueError("a fleet needs at least 1 cluster and a horizon of at least 7 days")
    rng = random.Random(seed)
    clusters = [_canary()] + [_cluster(rng, index) for index in range(1, n_clusters)]
    caps = _scaled_caps(clusters, horizon_days)
    deadline = START + dt.timedelta(days=horizon_days - 1)
    given = {"start_date": START, "deadline": deadline, "daily_node_cap": caps["daily_node_cap"]}
    settings = [["setting", "value", "note"]] + [
        [name, given.get(name, value), note if name not in given else f"Scaled for {n_clusters} clusters."]
        for name, value, note in SETTINGS
    ]
    return {
        "Clusters": [CLUSTER_HEADER] + sorted(clusters),
        "Regions": [REGION_HEADER] + [[n, geo, imp, tz, area] for n, _, geo, imp, tz, area in ALL_REGIONS],
        "Settings": settings,
        "Rules": _rules(caps, deadline),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fleetgen", description=__doc__.split("\n")[0])
    parser.add_argument("clusters", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--horizon", type=int, default=60, help="days the plan should span")
    args = parser.parse_args(argv)
    write(synthetic_fleet(args.clusters, args.seed, args.horizon), args.out)
    print(f"wrote {args.out}: {args.clusters} clusters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
