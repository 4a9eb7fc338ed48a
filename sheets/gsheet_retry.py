"""Our bounded retry for Google calls: exponential backoff with full jitter, then a clear error.

gspread 6.2.1's BackOffHTTPClient retries forever; a sheet that stays unreachable must instead
show up as unreachable (in /api/v1/draft, in logs, as a refused publication), so we give up.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from google.auth import exceptions as auth_exceptions
from gspread.exceptions import APIError

from .source import SourceError

log = logging.getLogger("sheets.gsheet")
T = TypeVar("T")
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # calls in all, the first included
    base_seconds: float = 0.5
    cap_seconds: float = 16.0
    # No retry starts past this many seconds after the first call: bounded in time, not only
    # in count (five calls under a 30 s timeout could otherwise take minutes).
    deadline_seconds: float = 60.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2**retry)]."""
        return rng.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** retry))


def transient(error: BaseException) -> str | None:
    """Why an error is worth retrying ("HTTP 429", "timeout"), or None when it is not."""
    if isinstance(error, APIError) and error.code in TRANSIENT_STATUSES:
        return f"HTTP {error.code}"
    if isinstance(error, APIError) and error.code == -1 and error.response.status_code in TRANSIENT_STATUSES:
        return f"HTTP {error.response.status_code}"  # a proxy's non-JSON error page
    if isinstance(error, requests.Timeout):
        return "timeout"
    if isinstance(error, (requests.ConnectionError, auth_exceptions.TransportError)):
        return "connection failed"
    return None


def with_retry(call: Callable[[], T], what: str, policy: RetryPolicy,
               sleep: Callable[[float], None] = time.sleep,
               rng: random.Random | None = None,
               clock: Callable[[], float] = time.monotonic) -> T:
    """``call()``, retried on transient errors; SourceError once ``policy.attempts`` are spent
    or the next retry would start past ``policy.deadline_seconds`` from the first call."""
    rng = rng or random.Random()
    attempt = 0
    started = clock()
    while True:
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - sorted below: transient or not
            reason = transient(error)
            if reason is None:
                raise
            attempt += 1
            pause = policy.delay(attempt - 1, rng)
            late = clock() + pause - started > policy.deadline_seconds
            if attempt >= policy.attempts or late:
                log.error("%s: giving up after %d attempts (%s)", what, attempt, reason)
                raise SourceError(f"{what}: Google Sheets did not answer after {attempt} "
                                  f"attempts (last: {reason}); try again in a few minutes") from error
            log.warning("%s: %s, retry %d of %d in %.1f s", what, reason, attempt,
                        policy.attempts - 1, pause)
            sleep(pause)
