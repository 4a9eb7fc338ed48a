"""The campaign of CAMPAIGN.md as a planner would enter it: the four tabs, as rows of cells.

Pure data and a seeded generator for the small clusters: the same rows on every run.
"""
from __future__ import annotations

import datetime as dt
import random

CLUSTER_HEADER = [
    "cluster", "region", "sku", "nodes", "workload", "services", "rolling", "canary",
    "duration_hours", "pinned_date", "status", "owner_team",
]
REGION_HEADER = ["region", "geo", "importance", "timezone", "area"]

# name, short code (for cluster names), geo, importance, IANA timezone, area.
# US and EU matter most; UK, Australia and Canada less so (CAMPAIGN "Order"). The UK counts
# with Europe for spreading: the campaign's third group is "the rest (non EU/US/UK)".
REGIONS = [
    ("swedencentral", "swc", "EU", "high", "Europe/Stockholm", "EU"),
    ("northeurope", "neu", "EU", "high", "Europe/Dublin", "EU"),
    ("westeurope", "weu", "EU", "high", "Europe/Amsterdam", "EU"),
    ("francecentral", "frc", "EU", "high", "Europe/Paris", "EU"),
    ("germanywestcentral", "gwc", "EU", "high", "Europe/Berlin", "EU"),
    ("uksouth", "uks", "UK", "normal", "Europe/London", "EU"),
    ("ukwest", "ukw", "UK", "low", "Europe/London", "EU"),
    ("eastus", "eus", "US", "high", "America/New_York", "US"),
    ("eastus2", "eus2", "US", "high", "America/New_York", "US"),
    ("southcentralus", "scus", "US", "high", "America/Chicago", "US"),
    ("northcentralus", "ncus", "US", "high", "America/Chicago", "US"),
    ("westus2", "wus2", "US", "high", "America/Los_Angeles", "US"),
    ("westus3", "wus3", "US", "high", "America/Phoenix", "US"),
    ("australiaeast", "ause", "AU", "normal", "Australia/Sydney", "rest"),
    ("canadacentral", "cac", "CA", "low", "America/Toronto", "rest"),
    ("japaneast", "jpe", "JP", "normal", "Asia/Tokyo", "rest"),
    ("southeastasia", "sea", "SG", "normal", "Asia/Singapore", "rest"),
    ("koreacentral", "krc", "KR", "normal", "Asia/Seoul", "rest"),
    ("centralindia", "inc", "IN", "normal", "Asia/Kolkata", "rest"),
]
CODE = {name: code for name, code, *_ in REGIONS}

# The ten big clusters (> 400 nodes), written out: they shape the campaign.
# region, sku, nodes, workload, services, rolling, duration_hours, owner_team
BIG = [
    ("westus3", "GB200", 2304, "research", None, "yes", None, "pretraining"),
    ("eastus", "H100", 2016, "applied", "api, chat", "yes", None, "api-serving"),
    ("southcentralus", "H200", 1728, "research", None, "yes", None, "pretraining"),
    ("westeurope", "H100", 1536, "applied", "chat", "yes", None, "chat-serving"),
    ("northeurope", "H200", 1344, "research", None, "yes", None, "post-training"),
    ("eastus2", "H100", 1152, "applied", "api", "yes", None, "api-serving"),
    ("francecentral", "GB200", 1008, "research", None, "yes", None, "reasoning-research"),
    ("australiaeast", "H100", 864, "applied", "api, chat", "yes", None, "api-serving"),
    ("japaneast", "H200", 720, "applied", "batch", "no", 8, "batch-platform"),
    ("uksouth", "H100", 504, "research", None, "no", 8, "multimodal"),
]
# Out of scope (CAMPAIGN "What happens"): listed in the raw inventory, excluded by a rule.
OUT_OF_SCOPE = [
    ("eastus", "A100", 640, "research", None, "no", None, "pretraining"),
    ("southcentralus", "A100", 256, "research", None, "no", None, "multimodal"),
    ("westeurope", "A100", 192, "applied", "batch", "no", None, "batch-platform"),
    ("japaneast", "A100", 128, "applied", "embeddings", "no", None, "inference-platform"),
    ("westus2", "A100", 96, "research", None, "no", None, "safety-research"),
    ("eastus2", "MI300X", 192, "applied", "api", "no", None, "api-serving"),
    ("canadacentral", "MI300X", 64, "research", None, "no", None, "reasoning-research"),
]
CANARY = ("swedencentral", "H100", 16, "research", None, "no", 4, "fleet-reliability")

SMALL_RESEARCH_REGIONS = [
    "eastus", "eastus2", "southcentralus", "northcentralus", "westus2", "westus3",
    "northeurope", "westeurope", "francecentral", "germanywestcentral", "swedencentral",
    "uksouth", "ukwest", "canadacentral",
]
# Applied clusters live in every area, so the spread rule has US, EU and the rest to balance.
SMALL_APPLIED_REGIONS = [
    "eastus", "eastus2", "southcentralus", "westus2", "westus3", "northeurope", "westeurope",
    "francecentral", "germanywestcentral", "uksouth", "australiaeast", "canadacentral",
    "japaneast", "southeastasia", "koreacentral", "centralindia",
]
RESEARCH_TEAMS = ["multimodal", "post-training", "pretraining", "reasoning-research", "safety-research"]
APPLIED_SERVICES = [
    ("api", "api-serving"), ("api, chat", "api-serving"), ("chat", "chat-serving"),
    ("chat, batch", "chat-serving"), ("batch", "batch-platform"), ("embeddings", "inference-platform"),
    ("api, embeddings", "inference-platform"),
]
# Each size three times over the 54 small clusters (shuffled): 5,304 nodes, mostly under 200.
SMALL_SIZES = [16, 24, 32, 32, 48, 48, 64, 64, 96, 96, 96, 96, 128, 128, 160, 192, 192, 256]
SMALL_RESEARCH, SMALL_APPLIED = 26, 28  # with the canary and the big ones: 65 in scope
SEED = 20261207


def _small_clusters(rng: random.Random) -> list[tuple]:
    sizes = SMALL_SIZES * 3
    rng.shuffle(sizes)
    rows = []
    for workload, count, regions in (
        ("research", SMALL_RESEARCH, SMALL_RESEARCH_REGIONS),
        ("applied", SMALL_APPLIED, SMALL_APPLIED_REGIONS),
    ):
        for i in range(count):
            region = regions[i % len(regions)]
            sku = rng.choice(["H100", "H100", "H100", "H200", "H200", "GB200"])
            nodes = sizes.pop()
            if workload == "research":
                services, team = None, rng.choice(RESEARCH_TEAMS)
            else:
                services, team = rng.choice(APPLIED_SERVICES)
            # Repave time grows with size: 4 h for the smallest, 8 h for the largest small ones.
            duration = 4 if nodes <= 48 else 8 if nodes >= 256 else None
            rows.append((region, sku, nodes, workload, services, "no", duration, team))
    return rows


def _named(specs: list[tuple], canary: tuple) -> list[list]:
    """Cluster rows named <sku>-<region code>-<nn>, numbered in a fixed order, sorted by name."""
    rows, seen = [], {}
    for spec in [canary] + specs:
        region, sku, nodes, workload, services, rolling, duration, team = spec
        stem = f"{sku.lower()}-{CODE[region]}"
        seen[stem] = seen.get(stem, 0) + 1
        name = f"{stem}-canary" if spec is canary else f"{stem}-{seen[stem]:02d}"
        rows.append([
            name, region, sku, nodes, workload, services, rolling,
            "yes" if spec is canary else "no", duration, None, None, team,
        ])
    return sorted(rows, key=lambda row: row[0])


# A customer-agreed date, kept by the planner and checked like everything else.
PINNED = {"h200-uks-01": dt.date(2026, 12, 16)}


def cluster_rows(seed: int = SEED) -> list[list]:
    rows = _named(BIG + OUT_OF_SCOPE + _small_clusters(random.Random(seed)), CANARY)
    pinned_column = CLUSTER_HEADER.index("pinned_date")
    for row in rows:
        row[pinned_column] = PINNED.get(row[0])
    return [CLUSTER_HEADER] + rows


def region_rows() -> list[list]:
    return [REGION_HEADER] + sorted([name, geo, imp, tz, area] for name, _, geo, imp, tz, area in REGIONS)
