"""Our own host for the durable_rules engine: rulesets from data, run synchronously, always cleaned up.

durable_rules 2.0.28 (unmaintained since 2020) is used through its C engine API
(``durable_rules_engine``), never through ``durable.engine.Host``. Its sharp edges, and how this
module guards each one (tests/engine/test_engine_guards.py tests every guard):

- ``Host()`` starts two self-rescheduling timer threads per instance: we never create one; our
  host is one object per process, created lazily, and drives every action on the caller's thread.
- A fact is identified by a 32-bit FNV-1 hash of its ``id`` (of its content when it has none):
  distinct facts that hash alike are dropped as already seen. Every fact gets an id from us, and
  ids whose hashes collide with one already issued are skipped; a dropped fact raises.
- A fact no rule matches makes ``assert_facts`` report "not handled" (``durable.engine`` then
  raises, and inside an action that silently stops the chain): every ruleset gets a catch-all
  rule, and any "not handled" still reported raises.
- ``durable.engine`` swallows exceptions raised in actions: our actions run in our own loop, so
  they propagate (after the engine is told the action was abandoned).
- Rulesets cannot be unregistered from ``durable.engine``, and a state left behind keeps several
  MB (~6 MB per classification of 200 clusters, measured): every session deletes its state and
  its ruleset (``delete_ruleset`` of the C API) when it ends.
- ``delete_state`` frees pointers of the state's action context that are left uninitialised
  until an action has fired, crashing the process: before deleting, a session whose state never
  fired posts an end fact that the catch-all consumes, so something always has.
- Numbers written with an exponent (``1e-05``) crash the engine's parser: ``dumps`` writes plain
  decimals.
- ``cap`` is an unsigned short: batches are capped at ``BATCH``.
- Fixed 512-bucket indexes make a state slow beyond a few thousand facts, and every fact costs
  ~9 KB: callers evaluate large fleets in shards of ``SHARD`` clusters, one session each.
- The C engine has no locking: one session at a time per process.
- Also found, and guarded in rules/engine/durable/compile.py: an ``$or`` directly inside ``$iany`` /
  ``$iall`` fails ``create_ruleset`` at random; a pattern holds at most 31 expressions; a ``$not``
  (or any pattern) never joins a fact with itself.
"""
from __future__ import annotations

import gc
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import durable_rules_engine as _engine

# Matches handed to an action at once (the engine's `cap`, an unsigned short).
BATCH = 8192
# Clusters per session, for rules that concern one cluster at a time: the engine indexes facts
# and join frames in fixed tables of 512 buckets, so its time grows with the square of the facts
# one state holds (and each fact holds ~9 KB, a fixed 255-property struct).
SHARD = 2000
CATCH_ALL = "$catch_all"
END = "$end"
# Result codes of the engine's assert calls.
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2

Fact = dict[str, Any]
# An action gets the matches of one rule (each: pattern name -> fact) and may return new facts.
Action = Callable[[list[dict[str, Fact]]], Iterable[Fact] | None]

_encode_string = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring
# A number written with an exponent (or a string that looks like one: then we just take the slow way).
_EXPONENT = re.compile(r"[0-9][eE][-+]?[0-9]")


class EngineError(RuntimeError):
    """The rules engine refused something or lost a fact: a bug, never a sheet problem."""


def fnv1_32(text: str) -> int:
    """The engine's fact-identity hash (state.c ``fnv1Hash32``), for ASCII ids."""
    value = 0x811C9DC5
    for byte in text.encode("ascii"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def dumps(value: Any) -> str:
    """JSON as the engine parses it safely: no exponents, no NaN."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise EngineError(f"the rules engine cannot hold {error}") from error
    # Rare (below 1e-4 or from 1e16): write every number of this document the slow, plain way.
    return _plain_dumps(value) if _EXPONENT.search(text) else text


def _plain_dumps(value: Any) -> str:
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text if "." in text else text + ".0"  # still a double, not an int
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_plain_dumps(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_encode_string(str(k))}:{_plain_dumps(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


class FactIds:
    """Fact ids whose engine hashes are all distinct (``f1``, ``f2``, ... skipping collisions)."""

    def __init__(self) -> None:
        self._count = 0
        self._hashes = {fnv1_32("sid-0")}  # the state fact's own id shares the index

    def next(self) -> str:
        while True:
            self._count += 1
            candidate = f"f{self._count}"
            digest = fnv1_32(candidate)
            if digest not in self._hashes:
                self._hashes.add(digest)
                return candidate


class Session:
    """One evaluation: a fresh ruleset, its facts, its actions, deleted on close."""

    def __init__(self, handle: int, actions: dict[str, Action]):
        self._handle = handle
        self._actions = actions
        self._state: int | None = None  # the engine creates the state with the first fact
        self._fired = False
        self._ids = FactIds()

    def _post(self, facts: list[Fact]) -> int:
        if any("id" in fact or "sid" in fact for fact in facts):
            raise EngineError("facts get their id from the session")
        identified = [{**fact, "id": self._ids.next()} for fact in facts]
        try:
            code, state = _engine.assert_facts(self._handle, dumps(identified))
        except Exception as error:  # the C engine's RulesError
            raise EngineError(f"the rules engine rejected facts: {error}") from error
        if code == _NOT_HANDLED:
            raise EngineError("a fact matched no rule, not even the catch-all")
        if code == _OBSERVED:
            raise EngineError("a fact was dropped as a duplicate of another")
        if code != _OK:
            raise EngineError(f"the rules engine answered {code} to an assert")
        self._state = state
        return state

    def assert_facts(self, facts: list[Fact]) -> None:
        """Assert facts and run every action they cause, to quiescence (forward chaining)."""
        if facts:
            self._drain(self._post(facts), run_actions=True)

    def _drain(self, state: int, run_actions: bool) -> None:
        started = _engine.start_action_for_state(self._handle, state)
        if started is None:
            return
        self._fired = True
        messages: str | None = started[1]
        while messages is not None:
            ((name, matches),) = json.loads(messages).items()
            action = self._actions.get(name) if run_actions else None
            if action is not None:
                try:
                    derived = action(matches if isinstance(matches, list) else [matches])
                    if derived:
                        self._post(list(derived))
                except BaseException:
                    _engine.abandon_action(self._handle, state)
                    raise
            messages = _engine.complete_and_start_action(self._handle, state)

    def close(self) -> None:
        try:
            if self._state is not None:
                if self._fired:
                    _engine.abandon_action(self._handle, self._state)  # no-op unless interrupted
                else:
                    self._drain(self._post([{"t": END}]), run_actions=False)
                _engine.delete_state(self._handle, None)
        finally:
            _engine.delete_ruleset(self._handle)


class Host:
    """The process's one host: unique ruleset names, one session at a time."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._count = 0

    @contextmanager
    def session(self, rules: dict[str, dict], actions: dict[str, Action]) -> Iterator[Session]:
        """A session over ``rules`` (name -> durable_rules JSON rule, without ``run``)."""
        definition = {name: {**rule, "cap": BATCH} for name, rule in rules.items()}
        definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"t": 1}}}], "cap": BATCH}
        with self._lock:
            self._count += 1
            try:
                handle = _engine.create_ruleset(f"planner_{self._count}", dumps(definition))
            except Exception as error:
                raise EngineError(f"the rules engine rejected a ruleset: {error}") from error
            session = Session(handle, actions)
            # Facts and matches make no reference cycles; pausing the cyclic collector while
            # thousands of them come and go saves a quarter of the time on large fleets.
            collecting = gc.isenabled()
            gc.disable()
            try:
                yield session
            finally:
                if collecting:
                    gc.enable()
                session.close()


_host: Host | None = None
_host_lock = threading.Lock()


def host() -> Host:
    """The process's host, created on first use."""
    global _host
    with _host_lock:
        if _host is None:
            _host = Host()
        return _host
