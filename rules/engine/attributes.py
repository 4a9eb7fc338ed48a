"""The attributes of a cluster that rules may test: its columns, its region's, and derived ones."""
from __future__ import annotations

from rules.model import Cluster, CellValue, Region, Settings

# Columns of Clusters every workbook has, in sheet order.
CLUSTER_COLUMNS = (
    "cluster", "region", "sku", "nodes", "workload", "services", "rolling", "canary",
    "duration_hours", "pinned_date", "status",
)
# Derived from the cluster's region row and from Settings.
DERIVED = ("geo", "importance", "timezone", "size")
# How conditions read each known attribute; extra columns are typed by their literals.
ATTRIBUTE_TYPES = {
    "nodes": "number",
    "duration_hours": "number",
    "pinned_date": "date",
    "rolling": "bool",
    "canary": "bool",
    "services": "list",
}  # every other known attribute is "text"


def attribute_kind(name: str) -> str | None:
    """How conditions read an attribute: its type if known, None for extra columns."""
    if name in CLUSTER_COLUMNS or name in DERIVED:
        return ATTRIBUTE_TYPES.get(name, "text")
    return None


def cluster_attributes(cluster: Cluster, region: Region, settings: Settings) -> dict[str, CellValue]:
    """Every attribute a rule condition may name, keyed by lower-case column name."""
    attrs: dict[str, CellValue] = dict(region.extra)
    attrs.update(cluster.extra)
    attrs.update(
        cluster=cluster.name,
        region=cluster.region,
        sku=cluster.sku,
        nodes=cluster.nodes,
        workload=cluster.workload,
        services=cluster.services,
        rolling=cluster.rolling,
        canary=cluster.canary,
        duration_hours=cluster.duration_hours,
        pinned_date=cluster.pinned_date,
        status=cluster.status,
        geo=region.geo,
        importance=region.importance,
        timezone=region.timezone,
        size="big" if cluster.nodes > settings.big_cluster_nodes else "small",
    )
    return attrs


def attribute_names(cluster_extra: set[str], region_extra: set[str]) -> set[str]:
    """The names rules may use, given the extra columns found on Clusters and Regions."""
    return set(CLUSTER_COLUMNS) | set(DERIVED) | cluster_extra | region_extra
