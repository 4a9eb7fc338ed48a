"""The Rules tab: a decision table whose extra columns are conditions on cluster attributes."""
from __future__ import annotations

from dataclasses import replace

from rules import contract as c
from rules.engine.attributes import attribute_kind, attribute_names
from rules.validation.cells import CellError, formula_message, is_blank, is_formula, normal, read, show, text
from rules.conditions import ConditionError, parse
from rules.model import RawWorkbook, Rule, SheetError
from rules.suggest import did_you_mean
from rules.validation.tabs import Row, Tab, header_name, read_cell, read_tab

_DATED = ", ".join(k.name for k in c.KINDS if k.dated)
_WARNABLE = ", ".join(k.name for k in c.KINDS if k.may_warn)


def check_rules(
    raw: RawWorkbook, cluster_extra: frozenset[str], region_extra: frozenset[str],
    errors: list[SheetError],
) -> tuple[Rule, ...] | None:
    tab = read_tab(raw, c.RULES, errors)
    if tab is None:
        return None
    names = attribute_names(set(cluster_extra), set(region_extra))
    conditions = _condition_columns(tab, names, errors)
    rules, ids = [], {}
    for row in tab.rows:
        rule = _rule(row, names, conditions, errors)
        if rule is None:
            continue
        if rule.id.lower() in ids:
            errors.append(SheetError(
                rule.cell,
                f'rule "{rule.id}" is also on row {ids[rule.id.lower()].row}: '
                "each rule id must be used once",
            ))
            continue
        ids[rule.id.lower()] = rule
        rules.append(rule)
    _check_circles(rules, ids, tab, errors)
    return tuple(_resolve_after(rule, ids, tab, errors) for rule in rules)


def attribute_problem(name: str, names: set[str]) -> str | None:
    """Why ``name`` is not a cluster attribute a rule can use, or None when it is one."""
    if name in names:
        return None
    return f'no cluster attribute named "{name}"' + (
        did_you_mean(name, sorted(names))
        or ": use a column of Clusters or Regions, or geo, importance, timezone or size"
    )


def _condition_columns(tab: Tab, names: set[str], errors: list[SheetError]) -> list[str]:
    kept = []
    for column in tab.extra_columns(c.RULES):
        problem = attribute_problem(column, names)
        if problem:
            errors.append(SheetError(
                tab.header_ref(column),
                problem + " (every Rules column other than "
                + ", ".join(c.RULES.column_names) + " is a condition on a cluster attribute)",
            ))
        else:
            kept.append(column)
    return kept


def _rule(row: Row, names: set[str], conditions: list[str], errors: list[SheetError]) -> Rule | None:
    got = {col.name: read_cell(row, col, errors) for col in c.RULES.columns if col.name != "value"}
    rule_id = got["rule"]
    kind = got["kind"]
    value = _value(row, kind, names, errors) if kind else None
    from_date, to_date = _dates(row, kind, got["from"], got["to"], errors)
    parsed = tuple(
        (attr, cond) for attr in conditions
        if (cond := _condition(row, attr, errors)) is not None
    )
    if got["severity"] == "warning" and kind and not c.kind(kind).may_warn:
        errors.append(SheetError(
            row.ref("severity"),
            f"{_a(kind)} rule shapes the plan, so it cannot be a warning (only limits are "
            f"checked without being obeyed: {_WARNABLE}): clear severity or set it to error",
        ))
    if rule_id is None:
        return None
    return Rule(  # kept with a bad kind too (the workbook is refused anyway), so after finds it
        id=rule_id,
        kind=kind or "",
        value=value,
        from_date=from_date,
        to_date=to_date,
        severity=got["severity"] or c.DEFAULT_SEVERITY,
        enabled=got["enabled"] is not False,
        note=got["note"] or "",
        conditions=parsed,
        row=row.number,
        cell=row.ref("rule"),
    )


def _value(row: Row, kind: str, names: set[str], errors: list[SheetError]):
    spec = c.kind(kind)
    value = row.get("value")
    where = row.ref("value")
    if spec.value_type == c.NOTHING:
        if not is_blank(value):
            errors.append(SheetError(
                where,
                f"{_a(kind)} rule takes no value, got {show(value)}: clear the cell"
                + (" (its days go in from and to)" if spec.dated else ""),
            ))
        return None
    if is_blank(value):
        errors.append(SheetError(
            where, f"{_a(kind)} rule needs a value: {c.describe(spec.value_type, spec.example)}"
        ))
        return None
    if is_formula(value):
        errors.append(SheetError(where, formula_message("value", value)))
        return None
    if spec.value_type == c.ATTRIBUTE:
        problem = attribute_problem(header_name(value), names)
        if problem:
            errors.append(SheetError(where, problem))
            return None
        return header_name(value)
    if spec.value_type == c.RULE_ID:
        return text(value)  # resolved once every rule is known
    try:
        return read(f"the value of a {kind} rule", value, spec.value_type)
    except CellError as err:
        errors.append(SheetError(where, str(err)))
        return None


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _dates(row: Row, kind: str | None, first, last, errors: list[SheetError]):
    if first and last and first > last:
        errors.append(SheetError(
            row.ref("from"),
            f"from {first.isoformat()} is after to {last.isoformat()}: swap them, or correct one",
        ))
        return None, None
    if kind is None:
        return first, last
    if not c.kind(kind).dated:
        for column, day in (("from", first), ("to", last)):
            if day:
                errors.append(SheetError(
                    row.ref(column),
                    f"{column} does not apply to {_a(kind)} rule: clear it "
                    f"(from and to apply to {_DATED})",
                ))
        return None, None
    if c.kind(kind).days and not first and not last:
        where = "from" if "from" in row.tab.columns else "kind"
        errors.append(SheetError(
            row.ref(where),
            f"a {kind} rule needs its days: fill in from, to, or both",
        ))
    return first, last


def _condition(row: Row, attribute: str, errors: list[SheetError]):
    value = row.get(attribute)
    if is_formula(value):
        errors.append(SheetError(row.ref(attribute), formula_message(attribute, value)))
        return None
    try:
        return parse(normal(value), attribute, attribute_kind(attribute))
    except ConditionError as err:
        errors.append(SheetError(row.ref(attribute), str(err)))
        return None


def _waits(rule: Rule) -> bool:
    """An after rule (a row whose kind is unreadable has been reported and waits for nothing)."""
    return rule.kind in c.KIND_NAMES and rule.roles.waits


def _target(rule: Rule, ids: dict[str, Rule]) -> Rule | None:
    return ids.get(str(rule.value).lower()) if _waits(rule) and rule.value else None


def _resolve_after(rule: Rule, ids: dict[str, Rule], tab: Tab, errors: list[SheetError]) -> Rule:
    """An after rule's value as the named rule spells its id; errors for a name it cannot use."""
    if not _waits(rule) or rule.value is None:
        return rule
    where = tab.ref(tab.columns["value"], rule.row)
    target = _target(rule, ids)
    if target is None:
        errors.append(SheetError(
            where,
            f'there is no rule "{rule.value}"' + (did_you_mean(rule.value, [r.id for r in ids.values()])
                                                  or ": name the rule whose clusters must go first"),
        ))
        return rule
    if target is rule:
        errors.append(SheetError(where, "an after rule cannot name itself: name the rule whose "
                                        "clusters must go first"))
        return rule
    if rule.enabled and not target.enabled:
        errors.append(SheetError(
            where,
            f'rule "{target.id}" is switched off (enabled: no on row {target.row}): '
            "switch it on, or switch this rule off",
        ))
    return replace(rule, value=target.id)


def _check_circles(rules: list[Rule], ids: dict[str, Rule], tab: Tab, errors: list[SheetError]) -> None:
    """An error, at the circle's first row, when enabled after rules wait for each other."""
    reported: set[str] = set()
    for start in rules:
        chain, seen, rule = [], set(), start
        while rule is not None and rule.enabled and rule.id not in seen:
            chain.append(rule)
            seen.add(rule.id)
            rule = _target(rule, ids)
        # Each rule names at most one other, so the walk from a rule on a circle comes back to it.
        if rule is not start or len(chain) < 2 or start.id in reported:
            continue
        reported.update(seen)
        errors.append(SheetError(
            tab.ref(tab.columns["value"], start.row),
            "these after rules wait for each other in a circle, so none can start: "
            + " → ".join(f'"{r.id}"' for r in chain + [start]) + ": break the circle",
        ))
