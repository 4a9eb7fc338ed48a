"""The Regions and Clusters tabs: one model object per row, every bad cell reported."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rules import contract as c
from rules.engine.attributes import CLUSTER_COLUMNS, DERIVED
from rules.validation.cells import control_problem, formula_message, is_formula, normal
from rules.model import Cluster, RawWorkbook, Region, SheetError
from rules.suggest import did_you_mean
from rules.validation.tabs import Row, Tab, read_cell, read_tab
from rules.calendar import window_hours


@dataclass(frozen=True)
class Fleet:
    """What the Regions and Clusters tabs gave; None where a tab could not be read."""

    regions: tuple[Region, ...] | None
    clusters: tuple[Cluster, ...] | None
    region_extra: frozenset[str]
    cluster_extra: frozenset[str]


def check_fleet(raw: RawWorkbook, settings: dict[str, Any], errors: list[SheetError]) -> Fleet:
    cluster_tab = read_tab(raw, c.CLUSTERS, errors)
    region_tab = read_tab(raw, c.REGIONS, errors)
    cluster_extra = _cluster_extras(cluster_tab, errors) if cluster_tab else []
    region_extra = _region_extras(region_tab, cluster_tab, cluster_extra, errors) if region_tab else []
    regions = _regions(region_tab, region_extra, settings, errors) if region_tab else None
    clusters = (
        _clusters(cluster_tab, cluster_extra, regions, settings, errors) if cluster_tab else None
    )
    return Fleet(regions, clusters, frozenset(region_extra), frozenset(cluster_extra))


def _cluster_extras(tab: Tab, errors: list[SheetError]) -> list[str]:
    extras = tab.extra_columns(c.CLUSTERS)
    for name in extras:
        if name in DERIVED:
            errors.append(SheetError(
                tab.header_ref(name),
                f'a Clusters column cannot be named "{name}": the cluster\'s {name} comes from '
                f"{'Settings big_cluster_nodes' if name == 'size' else 'its row on Regions'}; "
                "rename this column",
            ))
    return [n for n in extras if n not in DERIVED]


def _region_extras(
    tab: Tab, cluster_tab: Tab | None, cluster_extra: list[str], errors: list[SheetError]
) -> list[str]:
    kept = []
    for name in tab.extra_columns(c.REGIONS):
        if name in CLUSTER_COLUMNS or name == "size":
            errors.append(SheetError(
                tab.header_ref(name),
                f'a Regions column cannot be named "{name}": every cluster has its own {name}; '
                "rename this column",
            ))
        elif name in cluster_extra:
            errors.append(SheetError(
                tab.header_ref(name),
                f'the column "{name}" is on Clusters too ({cluster_tab.header_ref(name)}): '
                "rules could not tell them apart, so rename one of them",
            ))
        else:
            kept.append(name)
    return kept


def _extra(row: Row, names: list[str], errors: list[SheetError]) -> dict[str, Any]:
    values = {}
    for name in names:
        value = row.get(name)
        if is_formula(value):
            errors.append(SheetError(row.ref(name), formula_message(name, value)))
        elif problem := control_problem(name, value):
            errors.append(SheetError(row.ref(name), problem))
        values[name] = normal(value)
    return values


def _unique(row: Row, column: str, name: str, seen: dict[str, int], errors: list[SheetError]) -> bool:
    """Whether ``name`` is new in ``column`` (case-insensitive); reports the repeat if not."""
    first = seen.setdefault(name.lower(), row.number)
    if first != row.number:
        errors.append(SheetError(
            row.ref(column),
            f'{column} "{name}" is also on row {first}: each {column} must be listed once',
        ))
        return False
    return True


def _regions(
    tab: Tab, extra: list[str], settings: dict[str, Any], errors: list[SheetError]
) -> tuple[Region, ...]:
    cols = {col.name: col for col in c.REGIONS.columns}
    regions, seen = [], {}
    for row in tab.rows:
        got = {name: read_cell(row, col, errors) for name, col in cols.items()}
        extras = _extra(row, extra, errors)
        if got["region"] is None or not _unique(row, "region", got["region"], seen, errors):
            continue
        regions.append(Region(
            name=got["region"],
            geo=got["geo"] or "",
            importance=got["importance"] or c.DEFAULT_IMPORTANCE,
            timezone=got["timezone"] or settings.get("timezone") or "",
            extra=extras,
            row=row.number,
        ))
    return tuple(regions)


def _clusters(
    tab: Tab,
    extra: list[str],
    regions: tuple[Region, ...] | None,
    settings: dict[str, Any],
    errors: list[SheetError],
) -> tuple[Cluster, ...]:
    if not tab.rows:
        errors.append(SheetError(f"{tab.title}!A2", "Clusters has no rows: add one row per cluster"))
    by_name = {r.name.lower(): r for r in regions or ()}
    cols = {col.name: col for col in c.CLUSTERS.columns}
    clusters, seen = [], {}
    for row in tab.rows:
        got = {name: read_cell(row, col, errors) for name, col in cols.items()}
        extras = _extra(row, extra, errors)
        region = _region_of(row, got["region"], by_name, regions is not None, errors)
        duration = _duration(row, got["duration_hours"], settings, errors)
        _check_pin(row, got["pinned_date"], settings, errors)
        if got["cluster"] is None or not _unique(row, "cluster", got["cluster"], seen, errors):
            continue
        clusters.append(Cluster(
            name=got["cluster"],
            region=region,
            sku=got["sku"] or "",
            nodes=got["nodes"] or 0,
            workload=got["workload"] or "",
            services=got["services"] or (),
            rolling=bool(got["rolling"]),
            canary=bool(got["canary"]),
            duration_hours=duration,
            pinned_date=got["pinned_date"],
            status=got["status"] or "",
            extra=extras,
            row=row.number,
        ))
    return tuple(clusters)


def _region_of(
    row: Row, name: str | None, by_name: dict[str, Region], known: bool, errors: list[SheetError]
) -> str:
    """The region's name as Regions spells it; an error when Regions (read) has no such row."""
    if name is None:
        return ""
    region = by_name.get(name.lower())
    if region is not None:
        return region.name
    if known:
        spelled = [r.name for r in by_name.values()]
        hint = did_you_mean(name, spelled)
        errors.append(SheetError(
            row.ref("region"),
            f'region "{name}" is not in Regions'
            + (hint or ": add a row for it on the Regions tab, or correct the name"),
        ))
    return name


def _check_pin(row: Row, day, settings: dict[str, Any], errors: list[SheetError]) -> None:
    """A pinned day near the campaign: placement's calendar runs from the earliest to the latest."""
    first, last = settings.get("start_date"), settings.get("deadline") or settings.get("start_date")
    if day is None or first is None:
        return
    margin = dt.timedelta(days=c.MAX_PIN_DAYS)
    if not first - margin <= day <= last + margin:
        errors.append(SheetError(
            row.ref("pinned_date"),
            f"pinned_date {day.isoformat()} is more than {c.MAX_PIN_DAYS} days from the campaign "
            f"({first.isoformat()} to {last.isoformat()}): pin a day within it, or clear the cell",
        ))


def _duration(row: Row, hours: float | None, settings: dict[str, Any], errors: list[SheetError]) -> float:
    """The cluster's window length, defaulted from Settings; an error when no window can hold it."""
    if hours is None:
        return float(settings.get("default_duration_hours") or 0.0)
    opens, closes = settings.get("window_start"), settings.get("window_end")
    if opens and closes and hours > window_hours(opens, closes):
        errors.append(SheetError(
            row.ref("duration_hours"),
            f"duration_hours {hours:g} does not fit the daily window {opens:%H:%M}–{closes:%H:%M} "
            f"({window_hours(opens, closes):g} h): shorten it, or widen the window in Settings",
        ))
    return float(hours)
