"""What the placement loop starts from when a campaign is under way: per cluster, the published
windows it keeps as they are, and the units of work still to place (with the published slot
each one may keep when that slot still obeys every error rule).

Pure: fed by ``rules.progress.Progress``; see docs/api.md (progress, re-queueing, stability).
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from rules.progress import PublishedWindow, Progress


@dataclass(frozen=True)
class Unit:
    """Nodes of one cluster to place in one window: a batch, or a re-run of one."""

    batch: int
    retry: int
    nodes: int
    retry_of: str | None = None


@dataclass(frozen=True)
class Replanned:
    """A published window that is not kept where it was, and why (the rule or edit)."""

    cluster: str
    batch: int
    retry: int
    reason: str


@dataclass(frozen=True)
class Note:
    """A warning about progress: an overdue window, work that cannot be re-queued."""

    cluster: str
    date: dt.date | None
    message: str


@dataclass
class Work:
    """One cluster's windows kept as they are, and its units still to place, in order."""

    fixed: list[PublishedWindow] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    batches: int = 0
    candidates: dict[tuple[int, int], PublishedWindow] = field(default_factory=dict)


def batch_sizes(nodes: int, percent: float | None, size: int | None = None) -> list[int]:
    """A whole cluster in one window, or daily batches of at most ceil(percent % × nodes)
    (``size`` when given: the batch size of the whole cluster, for what is left of it)."""
    from fractions import Fraction

    if percent is None:
        return [nodes] if nodes > 0 else []
    size = size or max(1, math.ceil(Fraction(str(percent)) * nodes / 100))
    count = math.ceil(nodes / size)
    return [size] * (count - 1) + [nodes - size * (count - 1)] if count else []


def cluster_work(nodes: int, percent: float | None, published: Iterable[PublishedWindow],
                 progress: Progress | None, freeze_hours: int) -> Work:
    """The fixed windows and the units of a cluster of ``nodes`` rolled at ``percent``.

    Batches done, in progress, failed, cancelled or frozen are kept; the nodes they do not
    cover become the next batches (a resized cluster's remainder); each failed or cancelled
    window, and each done one with failed_nodes, gets one re-run unless one exists already."""
    work = Work()
    mine = sorted(published, key=lambda w: (w.batch, w.retry))
    if progress is None:
        sizes = batch_sizes(nodes, percent)
        work.units = [Unit(i + 1, 0, n) for i, n in enumerate(sizes)]
        work.batches = len(sizes)
        return work
    work.fixed = [w for w in mine if progress.frozen(w, freeze_hours)]
    work.candidates = {(w.batch, w.retry): w for w in mine if w not in work.fixed}
    originals = [w for w in work.fixed if w.retry == 0]
    full = batch_sizes(nodes, percent)
    last = max((w.batch for w in originals), default=0)
    left = batch_sizes(nodes - sum(w.nodes for w in originals), percent,
                       full[0] if full and percent is not None else None)
    work.units = [Unit(last + i + 1, 0, n) for i, n in enumerate(left)]
    work.batches = last + len(left)
    rerun = {w.retry_of for w in mine if w.retry_of}
    retries = {w.batch: w.retry for w in mine}  # the highest retry of each batch (sorted)
    for w in mine:
        if w.state == "planned" and w.retry and w not in work.fixed:
            work.units.append(Unit(w.batch, w.retry, w.nodes, w.retry_of))
        elif w.requeued_nodes() and w.id not in rerun:
            retries[w.batch] += 1
            work.units.append(Unit(w.batch, retries[w.batch], w.requeued_nodes(), w.id))
    return work


def overdue(progress: Progress, names: dict[str, str]) -> list[Note]:
    """Planned windows whose start has passed with no report: kept, and said so."""
    notes = []
    for w in progress.windows:
        if w.state == "planned" and w.start <= progress.now:
            name = names.get(w.cluster.casefold(), w.cluster)
            notes.append(Note(name, w.date, (
                f"window {w.id} ({name} batch {w.batch}) started at {w.start.isoformat()} and no "
                "state was reported: it is kept where it is; the reporter (the provider, role "
                "reporter) should report it in_progress, done, failed or cancelled")))
    return notes


def not_requeued(window: PublishedWindow, why: str) -> Note:
    return Note(window.cluster, window.date, (
        f"{window.requeued_nodes()} nodes of window {window.id} ({window.cluster} batch "
        f"{window.batch}, {window.state}) are not re-queued: {why}"))


def pin_in_freeze(name: str, pinned: dt.date, freeze_at: dt.datetime) -> Note:
    return Note(name, pinned, (
        f"{name} is pinned to {pinned}, which starts before now + freeze_hours "
        f"({freeze_at.isoformat()}), where nothing new starts: it is placed on the earliest date "
        f"after that instead; move or clear its pinned_date in Clusters"))


def not_kept(work: dict[str, Work], windows: Iterable, why: dict[tuple[str, int, int], str],
             progress: Progress | None) -> list[Replanned]:
    """Every published window of a placed cluster that did not keep its start, and why: the
    reason the placement loop recorded, else what follows from it."""
    placed = {(w.cluster, w.batch, w.retry): w for w in windows}
    out = []
    for name, mine in work.items():
        for (batch, retry), published in sorted(mine.candidates.items()):
            now = placed.get((name, batch, retry))
            if now is not None and now.start == published.start:
                continue
            reason = why.get((name, batch, retry)) or (
                "re-planned from scratch (fresh)" if progress is not None and progress.fresh
                else f"{name} has {mine.batches} batches now" if now is None and retry == 0
                and batch > mine.batches else f"an earlier window of {name} moved")
            out.append(Replanned(name, batch, retry, reason))
    return out
