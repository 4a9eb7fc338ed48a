"""The sheet-run lock has a deadline: a run that cannot take it gives up with a clear error
instead of waiting forever behind a stuck one."""
import threading
import time

import pytest

from api.run_lock import sheet_run_lock
from sheets.source import SourceError


def test_a_second_run_gives_up_after_its_wait_and_a_later_one_gets_the_lock(app):
    held, release = threading.Event(), threading.Event()

    def first_run():
        with app.app_context(), sheet_run_lock("sheet-1"):
            held.set()
            release.wait(10)

    runner = threading.Thread(target=first_run)
    runner.start()
    try:
        assert held.wait(10)
        began = time.monotonic()
        with app.app_context(), pytest.raises(SourceError, match="another check of this sheet"):
            with sheet_run_lock("sheet-1", wait_seconds=0.3):
                pass
        assert 0.2 < time.monotonic() - began < 2
    finally:
        release.set()
        runner.join()
    with app.app_context(), sheet_run_lock("sheet-1", wait_seconds=1):
        pass
