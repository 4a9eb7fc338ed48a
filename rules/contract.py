"""The workbook contract, v1: the one place the planning workbook's format lives, as data.

The validator, the template writer and ``docs/sheet-format.md`` all follow this module (a test
checks the doc names every tab, column, setting and kind here), so they cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The cells' value types, re-exported: every reader of the contract finds them here.
from rules.cell_types import (  # noqa: F401
    TEXT, NOTE, LIST, YESNO, DATE, TIME, TIMEZONE, CHOICE, WHOLE, WHOLE_POSITIVE,
    WHOLE_NONNEGATIVE, POSITIVE, PERCENT, ATTRIBUTE, RULE_ID, NOTHING, CONDITION, TYPE_PHRASES,
    describe, YES_WORDS, NO_WORDS, YES_NO)

VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    type: str
    note: str  # for planners: shown as the header's cell note in the template
    choices: tuple[str, ...] = ()
    unique: bool = False
    example: str = ""


@dataclass(frozen=True)
class Tab:
    name: str
    note: str
    columns: tuple[Column, ...]
    extra_columns: str  # what a column not listed here means on this tab

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class Setting:
    name: str
    type: str
    required: bool
    default: object  # the value used when the row is absent or blank (None when required)
    note: str
    example: str
    choices: tuple[str, ...] = ()


# What a first-match kind decides about a cluster.
TIER = "tier"
ROLLING_PERCENT = "rolling percent"
# What a limit counts per day.
UNIT_NODES = "nodes"
UNIT_CLUSTERS = "clusters"
# How a date-window kind treats its days from..to.
NEVER = "never"  # no window on those days
ONLY = "only"  # windows on those days only


@dataclass(frozen=True)
class Kind:
    """A rule kind and its roles: every module asks the kind what it does, never its name."""

    name: str
    value_type: str
    meaning: str
    dated: bool  # whether from/to apply to it
    example: str  # a value as a planner types it ("" for none)
    shapes: bool = False  # it shapes the plan rather than limiting it, so it cannot be a warning
    excludes: bool = False  # its clusters are left out of the plan and of every other rule
    decides: str | None = None  # TIER or ROLLING_PERCENT: the first matching row decides it
    spreads: bool = False  # interleaves its clusters over the values of the attribute it names
    limits: str | None = None  # UNIT_NODES or UNIT_CLUSTERS: it caps that count per day
    percent_of_members: bool = False  # its cap is value % of its clusters' total nodes
    days: str | None = None  # NEVER or ONLY: a date window over from..to
    waits: bool = False  # its clusters start after those of the rule it names, plus soak_days

    @property
    def may_warn(self) -> bool:
        """A warning rule is only checked and reported; a shaping rule has nothing to check."""
        return not self.shapes

    @property
    def constrains(self) -> bool:
        """It decides which dates a cluster may take: a limit or a date window."""
        return self.limits is not None or self.days is not None

    @property
    def checks_windows(self) -> bool:
        """Its violations are found per cluster from the cluster's windows: dates or waiting."""
        return self.days is not None or self.waits


WORKLOADS = ("research", "applied")
IMPORTANCES = ("high", "normal", "low")
STATUSES = ("planned", "done")
SEVERITIES = ("error", "warning")
DEFAULT_SEVERITY = "error"
DEFAULT_IMPORTANCE = "normal"

KINDS = (
    Kind("exclude", NOTHING, "Matching clusters are not scheduled; the plan lists them with the rule.",
         False, "", shapes=True, excludes=True),
    Kind("priority", WHOLE, "Top to bottom, the first matching row sets the cluster's tier; lower "
         "tiers are placed first; clusters no row matches come last.", False, "1", shapes=True,
         decides=TIER),
    Kind("spread", ATTRIBUTE, "Within a tier, matching clusters are interleaved over the values of "
         "the attribute, so each value's share of its own nodes done stays as even as possible.",
         False, "area", shapes=True, spreads=True),
    Kind("cap_nodes", WHOLE_NONNEGATIVE, "Nodes out at any instant over matching clusters stay "
         "at or below the value, on campaign days from..to (Settings timezone).", True, "1300",
         limits=UNIT_NODES),
    Kind("cap_clusters", WHOLE_NONNEGATIVE, "Matching clusters with a window starting on a "
         "campaign day stay at or below the value, on campaign days from..to.", True, "2",
         limits=UNIT_CLUSTERS),
    Kind("cap_percent", PERCENT, "Nodes out at any instant stay at or below value % of the "
         "matching clusters' total nodes, on campaign days from..to.", True, "3",
         limits=UNIT_NODES, percent_of_members=True),
    Kind("rolling", PERCENT, "Matching clusters are done in daily batches of at most value % of "
         "their nodes (rounded up).", False, "6", shapes=True, decides=ROLLING_PERCENT),
    Kind("blackout", NOTHING, "No window for matching clusters on days from..to.", True, "",
         days=NEVER),
    Kind("between", NOTHING, "Matching clusters are maintained only on days from..to.", True, "",
         days=ONLY),
    Kind("after", RULE_ID, "A matching cluster's windows start no earlier than the end of the last "
         "window of the clusters the named rule matches, plus Settings soak_days × 24 h "
         "(compared as instants across time zones).", False, "canary-first", waits=True),
)
KIND_NAMES = tuple(k.name for k in KINDS)

CLUSTERS = Tab(
    "Clusters",
    "One row per cluster.",
    (
        Column("cluster", True, TEXT, "The cluster's name; unique.", unique=True, example="swc-h100-01"),
        Column("region", True, TEXT, "The cluster's region: a region listed on the Regions tab.",
               example="swedencentral"),
        Column("sku", True, TEXT, "The GPU host type (H100, H200, GB200, A100, ...).", example="H100"),
        Column("nodes", True, WHOLE_POSITIVE, "How many hosts (nodes) the cluster has.", example="312"),
        Column("workload", True, CHOICE, "What runs on it: research or applied (production).",
               choices=WORKLOADS, example="research"),
        Column("services", False, LIST, "Services it serves, comma-separated (e.g. api, chat).",
               example="api, chat"),
        Column("rolling", False, YESNO,
               "yes when the provider allows rolling this cluster gradually; blank means no.",
               choices=YES_NO, example="no"),
        Column("canary", False, YESNO, "yes for a canary cluster; blank means no.",
               choices=YES_NO, example="no"),
        Column("duration_hours", False, POSITIVE,
               "Hours one window takes; blank means Settings default_duration_hours.", example="6"),
        Column("pinned_date", False, DATE,
               "A day you fix for this cluster; the plan keeps it and checks it against the rules.",
               example="2026-01-08"),
        Column("status", False, CHOICE, "blank, planned, or done (done is not scheduled).",
               choices=STATUSES, example="planned"),
    ),
    "Any other column (e.g. owner_team) is a cluster attribute that rules may test.",
)

REGIONS = Tab(
    "Regions",
    "One row per region.",
    (
        Column("region", True, TEXT, "The region's name, as used on Clusters; unique.", unique=True,
               example="swedencentral"),
        Column("geo", True, TEXT, "The geography: US, EU, UK, AU, CA, ...", example="EU"),
        Column("importance", False, CHOICE, "high, normal or low; blank means normal.",
               choices=IMPORTANCES, example="high"),
        Column("timezone", False, TIMEZONE,
               "The region's IANA time zone (windows open in local time); blank means Settings timezone.",
               example="Europe/Stockholm"),
    ),
    "Any other column (e.g. area: US, EU or rest) is an attribute of every cluster in that region.",
)

SETTINGS = Tab(
    "Settings",
    "One row per setting: its name, its value, and a note of your own.",
    (
        Column("setting", True, TEXT, "A setting's name (see the list below).", unique=True),
        Column("value", True, TEXT, "The setting's value."),
        Column("note", False, NOTE, "Anything you want to remember about it; not read."),
    ),
    "Other columns are ignored.",
)

RULES = Tab(
    "Rules",
    "One row per rule: a decision table. A row matches a cluster when all its non-blank "
    "condition cells match.",
    (
        Column("rule", True, TEXT, "The rule's id; unique. Violations and after rules refer to it.",
               unique=True, example="canary-first"),
        Column("kind", True, CHOICE, "What the rule does (exclude, priority, cap_nodes, ...).",
               choices=KIND_NAMES, example="cap_nodes"),
        Column("value", False, TEXT, "The kind's value: a number, an attribute name or a rule id; "
               "blank for exclude, blackout and between.", example="1800"),
        Column("from", False, DATE, "First day the rule applies (caps, blackout, between); blank = "
               "from the start.", example="2026-01-05"),
        Column("to", False, DATE, "Last day the rule applies (caps, blackout, between); blank = "
               "to the end.", example="2026-01-18"),
        Column("severity", False, CHOICE, "error (the plan obeys it; the default) or warning "
               "(only checked and reported).", choices=SEVERITIES, example="error"),
        Column("enabled", False, YESNO, "no switches the rule off (it is still checked); blank "
               "means yes.", choices=YES_NO, example="yes"),
        Column("note", False, NOTE, "Why the rule exists; not read.", example="learn repave times"),
    ),
    "Every other column is a condition on the cluster attribute of the same name.",
)

# In the order errors are reported and tabs are written.
TABS = (CLUSTERS, REGIONS, SETTINGS, RULES)

# What one row of the Scenarios tab changes; target and value read as each says.
CHANGES = (
    ("setting", "a setting's name", "its value in the scenario; for a date setting also +N or "
     "-N days from the base (e.g. +7)"),
    ("rule", "a rule id", "yes to enable the rule, no to disable it"),
    ("rule_value", "a rule id", "the rule's value in the scenario (e.g. 1500 for a cap)"),
    ("attribute", "a Clusters column (e.g. rolling)", "its value in the scenario, for the "
     "clusters the row's condition cells match (all clusters when they are blank)"),
)
CHANGE_NAMES = tuple(name for name, _, _ in CHANGES)

# Optional: plans to compare with the base plan (`plan --scenarios`). Not part of TABS: a
# workbook without it is complete, and it is read only when scenarios are asked for.
SCENARIOS = Tab(
    "Scenarios",
    "One row per change; the rows sharing a scenario name make one scenario.",
    (
        Column("scenario", True, TEXT, "The scenario's name: rows with the same name are one "
               "scenario.", example="roll every big cluster"),
        Column("change", True, CHOICE, "What the row changes: setting, rule (enable or "
               "disable), rule_value, or attribute (of the matching clusters).",
               choices=CHANGE_NAMES, example="attribute"),
        Column("target", True, TEXT, "The setting's name, the rule id, or the Clusters column.",
               example="rolling"),
        Column("value", True, TEXT, "The new value (see the change kinds).", example="yes"),
        Column("note", False, TEXT, "Why the scenario exists; not read.",
               example="ask the provider"),
    ),
    "Every other column is a condition on the cluster attribute of the same name, for "
    "attribute changes.",
)


OBJECTIVES = ("order", "finish")

SETTINGS_LIST = (
    Setting("start_date", DATE, True, None, "The first day of the campaign.", "2026-01-05"),
    Setting("deadline", DATE, True, None, "The last day a window may fall on; a plan ending later "
            "is an error.", "2026-01-18"),
    Setting("daily_node_cap", WHOLE_POSITIVE, True, None, "Nodes out at most at any instant, "
            "over all clusters (like a cap_nodes rule over the whole fleet).", "1800"),
    Setting("window_start", TIME, True, None, "When windows open, local time of each region.", "11:00"),
    Setting("window_end", TIME, True, None, "When windows must be over, local time; after "
            "window_start.", "20:00"),
    Setting("default_duration_hours", POSITIVE, True, None, "Hours a window takes when the "
            "cluster's duration_hours is blank; must fit between window_start and window_end.", "6"),
    Setting("big_cluster_nodes", WHOLE_POSITIVE, True, None, "A cluster with more nodes than this "
            "is big (attribute size = big); the others are small.", "400"),
    Setting("work_weekends", YESNO, False, True, "yes when windows may fall on Saturdays and "
            "Sundays.", "yes"),
    Setting("soak_days", WHOLE_NONNEGATIVE, False, 1, "Days to wait after the clusters an after "
            "rule names, before the next ones start.", "1"),
    Setting("notice_hours", WHOLE_POSITIVE, False, 24, "Hours before a window starts when its "
            "window.upcoming webhook is sent (the workload scheduler drains hosts on it).", "24"),
    Setting("timezone", TIMEZONE, True, None, "The time zone of regions whose timezone is blank, "
            "and the campaign's: the days of caps' from..to and of the Summary.",
            "UTC"),
    Setting("objective", CHOICE, False, "order", "What `plan` aims at: order (the priority order, "
            "each cluster at its earliest date in turn) or finish (the earliest finish, by the "
            "optimiser; then the priority order).", "order", choices=OBJECTIVES),
    Setting("freeze_hours", WHOLE_NONNEGATIVE, False, 48, "Hours from now in which nothing new "
            "is placed and no published window moves (it is frozen).", "48"),
)
SETTING_NAMES = tuple(s.name for s in SETTINGS_LIST)

# Bounds: the largest values a campaign can mean. A value outside them is refused at its cell, so
# whatever validation accepts, placement and every output can take (docs/sheet-format.md, Bounds).
FIRST_DAY = dt.date(2000, 1, 1)  # every date cell
LAST_DAY = dt.date(2099, 12, 31)
MAX_NUMBER = 10_000_000  # every number cell: nodes, caps, tiers, hours
MAX_CAMPAIGN_DAYS = 366  # from start_date to deadline
MAX_PIN_DAYS = 366  # a pinned_date at most this many days before start_date or after deadline
MAX_SOAK_DAYS = 90
MAX_TEXT = 200  # characters in a name, an id or a condition cell
MAX_ROWS = 10_000  # rows of one tab (10,000 clusters plan in about 4 s)
MAX_COLUMNS = 200  # columns of one tab

def tab(name: str) -> Tab:
    return next(t for t in TABS if t.name.lower() == name.lower())


_KIND_BY_NAME = {k.name: k for k in KINDS}


def kind(name: str) -> Kind:
    """The kind of that name (as validation spelled it); KeyError for any other name."""
    return _KIND_BY_NAME[name]


def setting(name: str) -> Setting:
    return next(s for s in SETTINGS_LIST if s.name == name)
