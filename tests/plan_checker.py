"""An independent checker of the JSON plan against the rule semantics of issues 2 and 3.

It recomputes everything from the plan document and the validated workbook, with nothing of the
planner's own limit, placement or violation code: only ``Condition.matches`` (through
``cluster_attributes``) decides which clusters a row matches. Node caps are checked at every
instant from the windows' UTC intervals (a load only rises where a window opens, so the instants
to look at are window starts and the cap's first instant); cluster caps per campaign day (a date
in Settings timezone) of each window's start. Each check returns the list of problems it found,
as sentences, so a failing property says what is wrong.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

from rules.engine.attributes import cluster_attributes
from rules.model import Cluster, Rule, Workbook

CAPS = ("cap_nodes", "cap_clusters", "cap_percent")


@dataclass(frozen=True)
class Win:
    cluster: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    nodes: int
    batch: int
    batches: int
    pinned: bool


@dataclass(frozen=True)
class Cap:
    rule: str | None  # None for the Settings cap
    source: str  # "rule", or the setting
    unit: str  # nodes | clusters
    allowed: Fraction
    members: frozenset[str]
    first: dt.date | None  # campaign days
    last: dt.date | None

    def applies(self, day: dt.date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)

    def name(self) -> str:
        return self.rule or self.source


def out_at(instant: dt.datetime, windows) -> list[Win]:
    """The windows out of service at ``instant``: their UTC interval [start, end) holds it."""
    return [w for w in windows if w.start <= instant < w.end]


class Facts:
    """The workbook's rows as the semantics read them, and the plan's windows."""

    def __init__(self, book: Workbook, doc: dict):
        self.book, self.doc, s = book, doc, book.settings
        self.settings = s
        self.clusters: dict[str, Cluster] = {c.name: c for c in book.clusters}
        self.tz = {c.name: book.region(c.region).timezone for c in book.clusters}
        attrs = {c.name: cluster_attributes(c, book.region(c.region), s) for c in book.clusters}
        self.rules = [r for r in book.rules if r.enabled]
        self.matching = {
            r.id: {n for n, a in attrs.items() if all(t.matches(a.get(col)) for col, t in r.conditions)}
            for r in self.rules
        }
        self.excluded = set().union(*(self.matching[r.id] for r in self.rules if r.kind == "exclude"))
        self.members = {r.id: self.matching[r.id] - self.excluded for r in self.rules}
        self.windows = [
            Win(w["cluster"], dt.date.fromisoformat(w["date"]), dt.datetime.fromisoformat(w["start"]),
                dt.datetime.fromisoformat(w["end"]), w["nodes"], w["batch"], w["batches"],
                self.clusters[w["cluster"]].pinned_date == dt.date.fromisoformat(w["date"])
                and w["batch"] == 1)
            for w in doc["windows"]
        ]
        self.by_cluster: dict[str, list[Win]] = defaultdict(list)
        for w in self.windows:
            self.by_cluster[w.cluster].append(w)
        self.violations = {(v["source"], v["rule"], v["severity"], v["date"], v["cluster"])
                           for v in doc["violations"]}
        self.zone = ZoneInfo(s.timezone)

    def error_rules(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind and r.severity == "error"]

    def has_violation(self, rule: str | None, date: dt.date | None = None,
                      cluster: str | None = None, source: str = "rule") -> bool:
        return any(v[0] == source and v[1] == rule and v[2] == "error"
                   and (date is None or v[3] == date.isoformat())
                   and (cluster is None or v[4] == cluster) for v in self.violations)

    def campaign_day(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.zone).date()

    def caps(self) -> list[Cap]:
        everyone = frozenset(self.clusters)
        found = [Cap(None, c.setting, "nodes", Fraction(c.nodes), everyone, None, None)
                 for c in self.book.fleet_caps]
        nodes = {c.name: c.nodes for c in self.book.clusters}
        for rule in self.rules:
            if rule.kind not in CAPS or rule.severity != "error":
                continue
            members = frozenset(self.members[rule.id])
            if rule.kind == "cap_percent":
                allowed = Fraction(str(rule.value)) * sum(nodes[m] for m in members) / 100
            else:
                allowed = Fraction(int(rule.value))
            unit = "clusters" if rule.kind == "cap_clusters" else "nodes"
            found.append(Cap(rule.id, "rule", unit, allowed, members, rule.from_date, rule.to_date))
        return found

    def peaks(self, cap: Cap, windows, extra: Win | None = None):
        """(campaign day, instant or None, load, windows counted) wherever ``cap`` applies: node caps
        at every window start and at the cap's first instant, cluster caps per campaign day of
        a window's start. ``extra`` is one more window, always counted."""
        mine = [w for w in windows if w.cluster in cap.members] + ([extra] if extra else [])
        if cap.unit == "clusters":
            by_day: dict[dt.date, list[Win]] = defaultdict(list)
            for w in mine:
                by_day[self.campaign_day(w.start)].append(w)
            return [(day, None, len({w.cluster for w in ws}), ws) for day, ws in sorted(by_day.items())
                    if cap.applies(day) and (extra is None or extra in ws)]
        instants = {w.start for w in mine}
        if cap.first is not None:
            instants.add(dt.datetime.combine(cap.first, dt.time(0), tzinfo=self.zone))
        found = []
        for instant in sorted(instants):
            out = out_at(instant, mine)
            day = self.campaign_day(instant)
            if cap.applies(day) and (extra is None or extra in out):
                found.append((day, instant, sum(w.nodes for w in out), out))
        return found

    def partly(self, name: str) -> bool:
        """Only a rolling cluster's pinned first batch is placed."""
        wins = self.by_cluster.get(name, [])
        return len(wins) == 1 and wins[0].pinned and wins[0].batch == 1 and wins[0].batches > 1

    def batch_sizes(self, name: str) -> list[int]:
        nodes, percent = self.clusters[name].nodes, self.rolling_percent(name)
        if percent is None:
            return [nodes]
        most = math.ceil(Fraction(str(percent)) * nodes / 100)
        return [min(most, nodes - done) for done in range(0, nodes, most)]

    def rolling_percent(self, name: str) -> float | None:
        first = next((r for r in self.rules if r.kind == "rolling" and name in self.members[r.id]), None)
        return None if first is None else first.value

    def ready(self, rule: Rule, name: str) -> dt.datetime | None:
        """When ``name`` may start under an after rule: the prerequisites' last end plus soak.
        A prerequisite done in the sheet (no window) ended at start_date's window_start."""
        s = self.settings
        done_at = dt.datetime.combine(s.start_date, s.window_start, tzinfo=ZoneInfo(s.timezone))
        ends = [w.end for m in self.members.get(str(rule.value), ()) if m != name
                for w in self.by_cluster.get(m, ())]
        ends += [done_at for m in self.members.get(str(rule.value), ())
                 if m != name and self.clusters[m].status == "done"]
        return max(ends) + dt.timedelta(days=s.soak_days) if ends else None


# The checks ----------------------------------------------------------------------------------

def coverage(f: Facts) -> list[str]:
    problems = []
    placed = set(f.by_cluster)
    excluded = [e["cluster"] for e in f.doc["excluded"]]
    unscheduled = [u["cluster"] for u in f.doc["unscheduled"]]
    seen = sorted(placed) + excluded + unscheduled
    for name in sorted(f.clusters):
        # A rolling cluster keeps its pinned first batch when the rest cannot be placed.
        partly = name in unscheduled and f.partly(name)
        if seen.count(name) != 1 and not (partly and seen.count(name) == 2):
            problems.append(f"{name} appears {seen.count(name)} times in windows/excluded/unscheduled")
    for u in f.doc["unscheduled"]:
        name, wins = u["cluster"], f.by_cluster.get(u["cluster"], [])
        if wins and not f.partly(name):
            problems.append(f"{name} is unscheduled but has windows other than a pinned first batch")
        nodes = f.clusters[name].nodes
        batches = wins[0].batches if wins else len(f.batch_sizes(name))
        if (u["nodes"], u["batches"]) != (nodes - sum(w.nodes for w in wins), batches - len(wins)):
            problems.append(f"{name}: unscheduled {u['nodes']} nodes in {u['batches']} batches, "
                            f"not what its windows leave")
    for name in excluded:
        if name not in f.excluded and f.clusters[name].status != "done":
            problems.append(f"{name} is excluded but matches no exclude rule and is not done")
    for name in sorted(f.excluded | {c for c, k in f.clusters.items() if k.status == "done"}):
        if name not in excluded:
            problems.append(f"{name} should be excluded")
    return problems


def batches(f: Facts) -> list[str]:
    problems = []
    unscheduled = {u["cluster"] for u in f.doc["unscheduled"]}
    for name, wins in f.by_cluster.items():
        if name in unscheduled:  # a pinned first batch, checked by the other checks
            continue
        wins = sorted(wins, key=lambda w: w.batch)
        nodes, percent = f.clusters[name].nodes, f.rolling_percent(name)
        got = [(w.batch, w.batches) for w in wins]
        if got != [(i + 1, len(wins)) for i in range(len(wins))]:
            problems.append(f"{name}: batch numbers {got}")
        if [w.date for w in wins] != sorted({w.date for w in wins}):
            problems.append(f"{name}: batches not one a date in date order")
        if sum(w.nodes for w in wins) != nodes:
            problems.append(f"{name}: batches sum to {sum(w.nodes for w in wins)}, not {nodes}")
        most = nodes if percent is None else math.ceil(Fraction(str(percent)) * nodes / 100)
        if any(w.nodes > most for w in wins):
            problems.append(f"{name}: a batch above {most} nodes")
        if percent is None and len(wins) != 1:
            problems.append(f"{name}: a whole cluster in {len(wins)} windows")
    return problems


def times(f: Facts) -> list[str]:
    problems, s = [], f.settings
    for w in f.windows:
        zone = ZoneInfo(f.tz[w.cluster])
        opens = dt.datetime.combine(w.date, s.window_start, tzinfo=zone)
        closes = dt.datetime.combine(w.date, s.window_end, tzinfo=zone)
        hours = f.clusters[w.cluster].duration_hours
        # In UTC: Python finds a time in a DST fold unequal to any other zone's (PEP 495).
        if w.start.astimezone(dt.timezone.utc) != opens.astimezone(dt.timezone.utc) \
                or w.start.utcoffset() != opens.utcoffset():
            problems.append(f"{w.cluster} {w.date}: starts {w.start}, not {opens}")
        if w.end - w.start != dt.timedelta(hours=hours):
            problems.append(f"{w.cluster} {w.date}: lasts {w.end - w.start}, not {hours} h")
        if w.end.utcoffset() != w.end.astimezone(zone).utcoffset():
            problems.append(f"{w.cluster} {w.date}: ends {w.end}, not in its zone's offset")
        if w.end > closes:
            problems.append(f"{w.cluster} {w.date}: ends {w.end}, after {closes}")
    return problems


def caps(f: Facts) -> list[str]:
    """No instant (no campaign day, for cluster caps) over a cap, except by pinned windows only,
    and then with an error violation on that campaign day."""
    problems = []
    for cap in f.caps():
        for day, instant, load, counted in f.peaks(cap, f.windows):
            if load <= cap.allowed:
                continue
            when = instant or day
            if any(not w.pinned for w in counted):
                problems.append(f"{cap.name()} at {when}: {load} over {cap.allowed} "
                                "with windows that were not pinned")
            if not f.has_violation(cap.rule, date=day, source=cap.source):
                problems.append(f"{cap.name()} at {when}: {load} over {cap.allowed}, no violation")
    return problems


def _outside(rule: Rule, day: dt.date) -> bool:
    """Whether a blackout forbids ``day``, or a between leaves it out."""
    return rule.applies_on(day) if rule.kind == "blackout" else not rule.applies_on(day)


def dates(f: Facts) -> list[str]:
    problems = []
    for rule in f.error_rules("blackout") + f.error_rules("between"):
        for name in sorted(f.members[rule.id]):
            for w in f.by_cluster.get(name, ()):
                if _outside(rule, w.date) and not (w.pinned and f.has_violation(rule.id, cluster=name)):
                    problems.append(f"{name} {w.date}: breaks {rule.kind} {rule.id}")
    return problems


def days(f: Facts) -> list[str]:
    """Unpinned windows from start_date on, on weekdays unless weekends are worked; pins kept."""
    problems, s = [], f.settings
    for w in f.windows:
        if w.pinned:
            continue
        if w.date < s.start_date:
            problems.append(f"{w.cluster} {w.date}: before start_date {s.start_date}")
        if not s.work_weekends and w.date.weekday() >= 5:
            problems.append(f"{w.cluster} {w.date}: on a weekend")
    for name, wins in f.by_cluster.items():
        pinned = f.clusters[name].pinned_date
        if pinned is not None and not any(w.pinned for w in wins):
            problems.append(f"{name}: pinned to {pinned}, not kept")
    return problems


def reported(f: Facts) -> list[str]:
    """A plan ending after the deadline, and every unscheduled cluster, have an error violation."""
    problems = []
    if f.windows and max(w.date for w in f.windows) > f.settings.deadline \
            and not f.has_violation(None, source="deadline"):
        problems.append("the plan ends after the deadline, with no violation")
    for u in f.doc["unscheduled"]:
        if not any(v[2] == "error" and v[4] == u["cluster"] for v in f.violations):
            problems.append(f"{u['cluster']} is unscheduled, with no error violation")
        nodes = f.clusters[u["cluster"]].nodes
        if u["nodes"] < nodes and not any(
                v["severity"] == "error" and v["cluster"] == u["cluster"]
                and f"({u['nodes']} of {nodes} nodes) cannot be placed" in v["message"]
                for v in f.doc["violations"]):
            problems.append(f"{u['cluster']} is partly unscheduled, with no error saying how much")
    return problems


def soak(f: Facts) -> list[str]:
    problems = []
    for rule in f.error_rules("after"):
        for name in sorted(f.members[rule.id]):
            ready = f.ready(rule, name)
            for w in f.by_cluster.get(name, ()):
                if ready is not None and w.start < ready and not (
                        w.pinned and f.has_violation(rule.id, cluster=name)):
                    problems.append(f"{name} batch {w.batch} starts {w.start}, before {ready} ({rule.id})")
    return problems


def blocked(f: Facts, w: Win, day: dt.date) -> str | None:
    """Why the whole cluster of ``w`` could not have its window on ``day``, or None."""
    s, name = f.settings, w.cluster
    if day < s.start_date:
        return "start_date"
    if not s.work_weekends and day.weekday() >= 5:
        return "weekend"
    for rule in f.error_rules("blackout") + f.error_rules("between"):
        if name in f.members[rule.id] and _outside(rule, day):
            return rule.id
    zone = ZoneInfo(f.tz[name])
    opens = dt.datetime.combine(day, s.window_start, tzinfo=zone)
    hours = dt.timedelta(hours=f.clusters[name].duration_hours)
    if (opens.astimezone(dt.timezone.utc) + hours) > dt.datetime.combine(day, s.window_end, tzinfo=zone):
        return "window"
    for rule in f.error_rules("after"):
        ready = f.ready(rule, name) if name in f.members[rule.id] else None
        if ready is not None and opens < ready:
            return rule.id
    others = [o for o in f.windows if o.cluster != name]
    here = Win(name, day, opens.astimezone(dt.timezone.utc), opens.astimezone(dt.timezone.utc) + hours,
               w.nodes, w.batch, w.batches, False)
    for cap in f.caps():
        if name in cap.members and any(load > cap.allowed for _, _, load, _ in f.peaks(cap, others, here)):
            return cap.name()
    return None


def earliest(f: Facts) -> list[str]:
    """Every date before a whole, unpinned cluster's window was blocked by some error rule,
    unless the window is no later than the lower bound on the finish: a later date that costs
    no days is the greedy planner's to choose (research before applied, the spread)."""
    if (f.doc["summary"].get("optimiser") or {}).get("used"):
        return []  # the optimiser chose each date for the finish, not the earliest in turn
    problems = []
    bound = (f.doc["summary"].get("bound") or {}).get("finish")
    for name, wins in sorted(f.by_cluster.items()):
        if len(wins) != 1 or f.clusters[name].pinned_date is not None:
            continue
        if bound is not None and wins[0].date <= dt.date.fromisoformat(bound):
            continue
        day = f.settings.start_date
        while day < wins[0].date:
            if blocked(f, wins[0], day) is None:
                problems.append(f"{name} is on {wins[0].date} but {day} was free")
                break
            day += dt.timedelta(days=1)
    return problems


CHECKS = (coverage, batches, times, days, caps, dates, soak, earliest, reported)


def check(book: Workbook, doc: dict) -> list[str]:
    facts = Facts(book, doc)
    return [problem for check in CHECKS for problem in check(facts)]
