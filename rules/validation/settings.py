"""The Settings tab: one row per setting, each value read as the contract types it."""
from __future__ import annotations

from typing import Any

from rules import contract as c
from rules.calendar import window_hours
from rules.validation.cells import CellError, is_blank, read
from rules.model import FleetCap, RawWorkbook, Settings, SheetError
from rules.suggest import did_you_mean
from rules.validation.tabs import header_name, read_tab


def fleet_caps(settings: Settings) -> tuple[FleetCap, ...]:
    """The node caps over the whole fleet that settings make: ``daily_node_cap``, at its cell."""
    name = "daily_node_cap"
    return (FleetCap(name, settings.daily_node_cap, settings.cells.get(name, "Settings!A1")),)


def check_settings(raw: RawWorkbook, errors: list[SheetError]) -> tuple[dict[str, Any], Settings | None]:
    """The settings that read well (defaults filled in), and Settings when every one is valid."""
    tab = read_tab(raw, c.SETTINGS, errors)
    if tab is None:
        return {}, None
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    seen: dict[str, int] = {}
    failed = False
    for row in tab.rows if "setting" in tab.columns else ():
        name = header_name(row.get("setting"))
        if not name:
            errors.append(SheetError(
                row.ref("setting"), "this row has no setting name: name it, or clear the row"
            ))
            continue
        if name not in c.SETTING_NAMES:
            errors.append(SheetError(
                row.ref("setting"),
                f'there is no setting "{name}"' + did_you_mean(name, c.SETTING_NAMES)
                + ("" if did_you_mean(name, c.SETTING_NAMES)
                   else f" (the settings are {', '.join(c.SETTING_NAMES)})"),
            ))
            continue
        if name in seen:
            errors.append(SheetError(
                row.ref("setting"),
                f'setting "{name}" is also on row {seen[name]}: keep one of the two rows',
            ))
            continue
        seen[name] = row.number
        spec = c.setting(name)
        value = row.get("value")
        cells[name] = row.ref("value")
        if is_blank(value):
            if spec.required and "value" in tab.columns:
                errors.append(SheetError(
                    row.ref("value"),
                    f"{name} has no value: fill in {c.describe(spec.type, spec.example)}",
                ))
                failed = True
            continue
        try:
            values[name] = read(name, value, spec.type, spec.choices, epoch=tab.epoch)
        except CellError as err:
            errors.append(SheetError(row.ref("value"), str(err)))
            failed = True
    free = max((row.number for row in tab.rows), default=1) + 1
    for spec in c.SETTINGS_LIST:
        if spec.name in seen:
            continue
        if spec.required:
            errors.append(SheetError(
                f"{tab.title}!A{free}",
                f"the setting {spec.name} is missing: add a row with setting {spec.name} "
                f"and its value: {c.describe(spec.type, spec.example)}",
            ))
            free += 1
            failed = True
    for spec in c.SETTINGS_LIST:
        if spec.name not in values and not spec.required:
            values[spec.name] = spec.default
    _check_together(values, cells, errors)
    if failed or any(s.name not in values for s in c.SETTINGS_LIST):
        return values, None
    return values, Settings(**values, cells=cells)


def _check_together(values: dict[str, Any], cells: dict[str, str], errors: list[SheetError]) -> None:
    """Settings that must agree with each other; a failure drops the later one from ``values``."""
    start, deadline = values.get("start_date"), values.get("deadline")
    if start and deadline and deadline < start:
        errors.append(SheetError(
            cells["deadline"],
            f"deadline {deadline.isoformat()} is before start_date {start.isoformat()}: "
            "move one of them",
        ))
        del values["deadline"]
    elif start and deadline and (deadline - start).days > c.MAX_CAMPAIGN_DAYS:
        errors.append(SheetError(
            cells["deadline"],
            f"deadline {deadline.isoformat()} is {(deadline - start).days:,} days after start_date "
            f"{start.isoformat()}: a campaign lasts at most {c.MAX_CAMPAIGN_DAYS} days, so plan the "
            "rest as another campaign",
        ))
        del values["deadline"]
    soak = values.get("soak_days")
    if soak is not None and soak > c.MAX_SOAK_DAYS:
        errors.append(SheetError(
            cells["soak_days"],
            f"soak_days is {soak:,}: a soak lasts at most {c.MAX_SOAK_DAYS} days",
        ))
        del values["soak_days"]
    opens, closes = values.get("window_start"), values.get("window_end")
    if opens and closes and closes <= opens:
        errors.append(SheetError(
            cells["window_end"],
            f"window_end {closes:%H:%M} must be after window_start {opens:%H:%M} "
            "(windows cannot cross midnight)",
        ))
        del values["window_end"]
        return
    hours = values.get("default_duration_hours")
    if opens and closes and hours and hours > window_hours(opens, closes):
        errors.append(SheetError(
            cells["default_duration_hours"],
            f"default_duration_hours {hours:g} does not fit the daily window "
            f"{opens:%H:%M}–{closes:%H:%M} ({window_hours(opens, closes):g} h): "
            "shorten it, or widen window_start..window_end",
        ))
        del values["default_duration_hours"]
