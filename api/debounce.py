"""Coalescing bursts: many pokes, one action once they have stopped for a quiet period.

A planner's edit session fires the sheet's trigger many times in a few seconds; the action (a
validation run) happens once, ``quiet_seconds`` after the last poke. A poke that arrives while
the action runs schedules one more run after it, so the last edit is never missed.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("api.debounce")


class Debouncer:
    def __init__(self, action: Callable[[], object], quiet_seconds: float,
                 clock: Callable[[], float] = time.monotonic):
        self._action, self.quiet_seconds, self._clock = action, quiet_seconds, clock
        self._changed = threading.Condition()
        self._due: float | None = None
        self._running = False
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        with self._changed:
            self._due = self._clock() + self.quiet_seconds
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="debounce", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    @property
    def has_worker(self) -> bool:
        """Whether a worker thread exists (it ends once nothing is due)."""
        with self._changed:
            return self._thread is not None

    def wait_idle(self, timeout: float) -> bool:
        """Whether everything poked so far has run, waiting up to ``timeout`` seconds (tests)."""
        deadline = self._clock() + timeout
        with self._changed:
            while self._due is not None or self._running or self._thread is not None:
                left = deadline - self._clock()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def _work(self) -> None:
        while True:
            with self._changed:
                while self._due is None or self._due > self._clock():
                    if self._due is None:
                        self._thread = None  # idle: the next poke starts a new worker
                        self._changed.notify_all()
                        return
                    self._changed.wait(self._due - self._clock())
                self._due, self._running = None, True
            try:
                self._action()
            except Exception:  # noqa: BLE001 - the worker must survive a failed run
                log.exception("debounced action failed")
            finally:
                with self._changed:
                    self._running = False
                    self._changed.notify_all()
