"""The after rules in the placement loop: which clusters each one waits for, the order clusters
become free to place, and the clusters left waiting on each other for ever."""
from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping

from rules.engine.classification import ClusterClass
from rules.model import Rule


def prerequisites(name: str, cls: ClusterClass, rules: Mapping[str, Rule],
                  members: Mapping[str, Collection[str]], placing: Collection[str]) -> dict[str, str]:
    """Clusters ``name`` waits for (after rules), each with the after rule that says so."""
    found: dict[str, str] = {}
    for rule_id in cls.after:
        rule = rules[rule_id]
        if rule.severity != "error":  # a warning after rule is only checked
            continue
        for member in members.get(str(rule.value), ()):
            if member != name and member in placing:
                found.setdefault(member, rule_id)
    return found


def ready_order(order: list[str], prereqs: Mapping[str, Mapping[str, str]]
                ) -> tuple[list[str], list[str]]:
    """The clusters in the order they become free (every prerequisite taken; among the free,
    placement order first), and those that never do because they wait on each other."""
    pending = {name: len(p) for name, p in prereqs.items()}
    waiters: dict[str, list[str]] = {}
    for name, p in prereqs.items():
        for prerequisite in p:
            waiters.setdefault(prerequisite, []).append(name)
    position = {name: i for i, name in enumerate(order)}
    ready = [(position[n], n) for n in order if pending[n] == 0]
    heapq.heapify(ready)
    taken: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        taken.append(name)
        for waiter in waiters.get(name, ()):
            pending[waiter] -= 1
            if pending[waiter] == 0:
                heapq.heappush(ready, (position[waiter], waiter))
    return taken, [name for name in order if pending[name] > 0]


def wait_cycle(name: str, prereqs: Mapping[str, str], stuck: Collection[str]) -> tuple[str, str]:
    """Why a cluster left waiting cannot be placed, and the after rule to change."""
    waiting = sorted(p for p in prereqs if p in stuck)
    rule = prereqs[waiting[0]] if waiting else next(iter(prereqs.values()))
    return (f"{name} waits (rule {rule}) for clusters that wait for it in turn "
            f"({', '.join(waiting[:5])}): change the after rules so they do not wait on each other",
            rule)
