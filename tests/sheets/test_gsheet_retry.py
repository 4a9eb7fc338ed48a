"""Our bounded retry: 429/5xx/timeouts retried with jittered backoff, then reported, never looped."""
from __future__ import annotations

import random
import time

import pytest
import requests

from sheets.gsheet_retry import RetryPolicy, with_retry
from sheets.source import SourceError
from tests.gsheet_fixtures import client, fake, google_settings, pauses, source_of  # noqa: F401
from tests.workbooks import valid_tabs


def test_a_few_429s_are_retried_and_the_read_succeeds(fake, source_of, pauses):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    before = fake.count("values.batchGet")
    fake.fail_next(429, times=2, op="values.batchGet")
    assert source_of(sid).read().table("clusters") is not None
    assert fake.count("values.batchGet") == before + 3
    assert len(pauses) == 2


def test_a_429_storm_is_retried_a_bounded_number_of_times_then_reported(fake, source_of, pauses):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    before = fake.count("values.batchGet")
    fake.fail_next(429, times=4, op="values.batchGet")
    with pytest.raises(SourceError) as caught:
        source_of(sid).read()
    assert fake.count("values.batchGet") == before + 4  # SHEETS_RETRY_ATTEMPTS
    assert "did not answer after 4 attempts (last: HTTP 429)" in str(caught.value)
    assert len(pauses) == 3


def test_server_errors_are_retried_too(fake, source_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    fake.fail_next(500, op="values.batchGet")
    fake.fail_next(503, op="values.batchGet")
    assert source_of(sid).read().table("rules") is not None


def test_a_request_that_times_out_is_retried(fake, source_of, pauses):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    fake.stall_next(2.5, op="values.batchGet")  # the client gives up after 2 s
    assert source_of(sid).read().table("clusters") is not None
    assert len(pauses) == 1


def test_a_permanent_refusal_is_not_retried(fake, source_of, pauses):
    before = fake.count("values.batchGet")
    with pytest.raises(SourceError):
        source_of("missing").read()
    assert fake.count("values.batchGet") == before + 1
    assert pauses == []


def test_backoff_grows_exponentially_under_a_cap_with_full_jitter():
    policy = RetryPolicy(attempts=10, base_seconds=0.5, cap_seconds=4)
    rng = random.Random(1)
    samples = {retry: [policy.delay(retry, rng) for _ in range(200)] for retry in range(6)}
    for retry, delays in samples.items():
        ceiling = min(4, 0.5 * 2 ** retry)
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > 0.8 * ceiling  # spread over the whole range, not fixed
    assert len(set(samples[0])) == 200


def test_a_client_within_a_time_budget_gives_up_in_time(fake, client):
    from sheets.gsheet import GoogleSheetSource

    sid = fake.create_spreadsheet("Plan", valid_tabs())
    quick = client.within(3.0)
    assert quick.policy.attempts == 3 and quick.http.timeout <= 1.0
    fake.stall_next(1.5, times=3, op="values.batchGet")
    began = time.monotonic()
    with pytest.raises(SourceError, match="after 3 attempts"):
        GoogleSheetSource(sid, quick).read()
    assert time.monotonic() - began < 4


def test_retries_stop_at_the_deadline_even_with_attempts_left():
    now = [0.0]

    def slow_timeout():
        now[0] += 2.0  # each call times out after 2 s
        raise requests.Timeout("read timed out")

    policy = RetryPolicy(attempts=100, base_seconds=0.5, cap_seconds=4, deadline_seconds=10)
    with pytest.raises(SourceError, match="did not answer after") as caught:
        with_retry(slow_timeout, "reading gsheet:x", policy,
                   sleep=lambda pause: now.__setitem__(0, now[0] + pause),
                   rng=random.Random(1), clock=lambda: now[0])
    assert now[0] <= 10 + 2  # no retry began past the deadline; the last call took its timeout
    assert "attempts (last: timeout)" in str(caught.value)
