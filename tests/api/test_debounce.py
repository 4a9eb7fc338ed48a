"""The debouncer: a burst of pokes gives one action, after the burst; none is ever lost."""
from __future__ import annotations

import time

from api.debounce import Debouncer


def counting(pause: float = 0.0):
    calls: list[float] = []

    def action():
        calls.append(time.monotonic())
        time.sleep(pause)

    return calls, action


def test_a_burst_of_pokes_gives_one_action_after_the_last_poke():
    calls, action = counting()
    worker = Debouncer(action, quiet_seconds=0.1)
    for _ in range(10):
        time.sleep(0.01)
        last_poke = time.monotonic()  # taken before the poke: the action comes 0.1 s after it
        worker.poke()
    assert worker.wait_idle(5)
    assert len(calls) == 1 and calls[0] >= last_poke + 0.09


def test_pokes_further_apart_than_the_quiet_time_give_one_action_each():
    calls, action = counting()
    worker = Debouncer(action, quiet_seconds=0.05)
    for _ in range(3):
        worker.poke()
        assert worker.wait_idle(5)
    assert len(calls) == 3


def test_a_poke_while_the_action_runs_gives_one_more_action_after_it():
    calls, action = counting(pause=0.2)
    worker = Debouncer(action, quiet_seconds=0.01)
    worker.poke()
    while not calls:
        time.sleep(0.005)
    worker.poke()  # an edit made during the run must not be missed
    worker.poke()
    assert worker.wait_idle(5)
    assert len(calls) == 2


def test_a_failing_action_does_not_stop_later_ones(caplog):
    calls: list[int] = []
    worker = Debouncer(lambda: calls.append(1) or 1 / 0, quiet_seconds=0.01)
    worker.poke()
    assert worker.wait_idle(5)
    worker.poke()
    assert worker.wait_idle(5)
    assert len(calls) == 2 and "debounced action failed" in caplog.text


def test_an_idle_debouncer_keeps_no_thread():
    worker = Debouncer(lambda: None, quiet_seconds=0.01)
    worker.poke()
    assert worker.wait_idle(5)
    assert not worker.has_worker
