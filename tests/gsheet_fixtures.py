"""Fixtures for tests that talk to the fake Google Sheets API (import the ones a module uses).

``google_settings`` is what an operator sets in the environment: a service-account key file
whose token_uri is the fake's, and SHEETS_API_URL / DRIVE_API_URL pointing at the fake. Retries
do not sleep for real: ``pauses`` records what they would have slept.
"""
from __future__ import annotations

import random

import pytest

from sheets.gsheet import GoogleSheetSink, GoogleSheetSource
from sheets.gsheet_client import GoogleConfig, connect
from tests.fakes.service_account import write_key_file
from tests.fakes.sheets_api import FakeSheetsApi


@pytest.fixture(scope="module")
def fake():
    with FakeSheetsApi() as api:
        yield api


@pytest.fixture
def google_settings(fake, tmp_path) -> dict[str, str]:
    return {
        "GOOGLE_APPLICATION_CREDENTIALS": str(write_key_file(tmp_path / "key.json", fake.token_uri)),
        "SHEETS_API_URL": fake.url,
        "DRIVE_API_URL": fake.url,
        "SHEETS_TIMEOUT_SECONDS": "2",
        "SHEETS_RETRY_ATTEMPTS": "4",
    }


@pytest.fixture
def pauses() -> list[float]:
    return []


@pytest.fixture
def client(google_settings, pauses):
    return connect(GoogleConfig.from_mapping(google_settings), sleep=pauses.append,
                   rng=random.Random(7))


@pytest.fixture
def source_of(client):
    return lambda spreadsheet_id: GoogleSheetSource(spreadsheet_id, client)


@pytest.fixture
def sink_of(client):
    return lambda spreadsheet_id: GoogleSheetSink(spreadsheet_id, client, [client.account])
