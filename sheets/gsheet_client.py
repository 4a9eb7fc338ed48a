"""Talking to Google Sheets: credentials, base URLs, timeouts, retries, and errors for people.

gspread's own client does the requests; we hand it a google-auth session whose base URLs can be
moved (``SHEETS_API_URL``, ``DRIVE_API_URL``: a proxy, a private endpoint, the tests' fake) and wrap
every call in our bounded retry. Credentials: the service-account key file named by
``GOOGLE_APPLICATION_CREDENTIALS``; google-auth asks the key's own ``token_uri`` for tokens.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import gspread
import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account
from gspread.exceptions import APIError

from .gsheet_retry import RetryPolicy, with_retry
from .source import SourceError

GOOGLE_SHEETS_ROOT = "https://sheets.googleapis.com"  # what SHEETS_API_URL replaces
GOOGLE_DRIVE_ROOT = "https://www.googleapis.com"  # what DRIVE_API_URL replaces
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",
          "https://www.googleapis.com/auth/drive.metadata.readonly")


@dataclass(frozen=True)
class GoogleConfig:
    credentials_file: str | None
    sheets_url: str = GOOGLE_SHEETS_ROOT
    drive_url: str = GOOGLE_DRIVE_ROOT
    timeout_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @classmethod
    def from_mapping(cls, values: Mapping) -> "GoogleConfig":
        """From the environment or a Flask config (same names)."""
        try:
            return cls(
                credentials_file=values.get("GOOGLE_APPLICATION_CREDENTIALS") or None,
                sheets_url=(values.get("SHEETS_API_URL") or GOOGLE_SHEETS_ROOT).rstrip("/"),
                drive_url=(values.get("DRIVE_API_URL") or GOOGLE_DRIVE_ROOT).rstrip("/"),
                timeout_seconds=float(values.get("SHEETS_TIMEOUT_SECONDS") or 30),
                retry=RetryPolicy(attempts=int(values.get("SHEETS_RETRY_ATTEMPTS") or 5),
                                  base_seconds=float(values.get("SHEETS_RETRY_BASE_SECONDS") or 0.5)),
            )
        except ValueError as error:
            raise SourceError(f"Google Sheets settings: {error}") from None


class SheetApiError(SourceError):
    """Google refused a request for good (not a transient failure): what, and how to fix it."""

    def __init__(self, message: str, code: int, google_message: str):
        super().__init__(message)
        self.code, self.google_message = code, google_message


class _RebasedSession(AuthorizedSession):
    """An AuthorizedSession that sends requests for Google's hosts to the configured roots."""

    def __init__(self, credentials, roots: dict[str, str], timeout: float):
        super().__init__(credentials, refresh_timeout=timeout)
        self._roots = {google: ours for google, ours in roots.items() if google != ours}

    def request(self, method, url, *args, **kwargs):
        for google, ours in self._roots.items():
            if url.startswith(google + "/"):
                url = ours + url[len(google):]
                break
        return super().request(method, url, *args, **kwargs)


class SheetsClient:
    """The calls we make, each retried on 429/5xx/timeouts and turned into SourceError otherwise."""

    def __init__(self, http: gspread.HTTPClient, policy: RetryPolicy, account: str = "",
                 sleep: Callable[[float], None] = time.sleep, rng=None):
        self.http, self.policy, self.account = http, policy, account
        self._sleep, self._rng = sleep, rng

    def within(self, seconds: float) -> "SheetsClient":
        """A client on the same session whose calls give up within about ``seconds`` (for work
        done inside an HTTP request, which a worker timeout would otherwise cut short)."""
        attempts = 3
        http = gspread.HTTPClient(auth=None, session=self.http.session)
        backoff = sum(min(self.policy.cap_seconds, self.policy.base_seconds * 2 ** n)
                      for n in range(attempts - 1))
        http.set_timeout(max(1.0, (seconds - backoff) / attempts))
        policy = RetryPolicy(attempts, self.policy.base_seconds, self.policy.cap_seconds, seconds)
        return SheetsClient(http, policy, self.account, self._sleep, self._rng)

    def values_batch_get(self, spreadsheet_id: str, ranges: list[str], params: dict) -> dict:
        return self.call(f"reading gsheet:{spreadsheet_id}", spreadsheet_id,
                         lambda: self.http.values_batch_get(spreadsheet_id, ranges, dict(params)))

    def metadata(self, spreadsheet_id: str) -> dict:
        return self.call(f"reading gsheet:{spreadsheet_id}", spreadsheet_id,
                         lambda: self.http.fetch_sheet_metadata(spreadsheet_id))

    def modified_time(self, spreadsheet_id: str) -> str:
        return self.call(f"reading gsheet:{spreadsheet_id}", spreadsheet_id,
                         lambda: self.http.get_file_drive_metadata(spreadsheet_id)["modifiedTime"])

    def call(self, what: str, spreadsheet_id: str, request: Callable):
        """``request()`` with our retry; a permanent refusal becomes a SheetApiError."""
        try:
            return with_retry(request, what, self.policy, self._sleep, self._rng)
        except APIError as error:
            raise SheetApiError(self._explain(what, spreadsheet_id, error), error.code,
                                str(error.error.get("message", ""))) from None
        except auth_exceptions.RefreshError as error:
            raise SourceError(f"{what}: the token endpoint refused the service-account key "
                              f"({error}); check GOOGLE_APPLICATION_CREDENTIALS") from None
        except requests.RequestException as error:  # e.g. a malformed SHEETS_API_URL
            raise SourceError(f"{what}: {error}") from None

    def _explain(self, what: str, spreadsheet_id: str, error: APIError) -> str:
        account = self.account or "the service account"
        google = error.error.get("message", "")
        if error.code == 404:
            return (f"{what}: no spreadsheet with id {spreadsheet_id}, or it is not shared with "
                    f"{account}; check the id and share the sheet with that address as an editor")
        if error.code == 403:
            return (f"{what}: permission denied ({google}); share the sheet with {account} as an "
                    f"editor, and enable the Sheets API for the key's project")
        if error.code == 401:
            return f"{what}: Google rejected the credentials ({google}); check GOOGLE_APPLICATION_CREDENTIALS"
        return f"{what}: Google Sheets answered {error.code}: {google}"


def connect(config: GoogleConfig, sleep: Callable[[float], None] = time.sleep, rng=None) -> SheetsClient:
    """A client for the configured account and endpoints; SourceError when credentials are unusable."""
    if not config.credentials_file:
        raise SourceError("set GOOGLE_APPLICATION_CREDENTIALS to the path of a service-account key "
                          "file (JSON) to use a Google Sheet")
    try:
        credentials = service_account.Credentials.from_service_account_file(
            config.credentials_file, scopes=list(SCOPES))
    except FileNotFoundError:
        raise SourceError(f"GOOGLE_APPLICATION_CREDENTIALS: no file {config.credentials_file}") from None
    except (ValueError, KeyError, json.JSONDecodeError) as error:
        raise SourceError(f"GOOGLE_APPLICATION_CREDENTIALS: {config.credentials_file} is not a "
                          f"service-account key file ({error})") from None
    session = _RebasedSession(credentials, {GOOGLE_SHEETS_ROOT: config.sheets_url,
                                            GOOGLE_DRIVE_ROOT: config.drive_url},
                              config.timeout_seconds)
    client = gspread.Client(auth=None, session=session)
    client.set_timeout(config.timeout_seconds)
    return SheetsClient(client.http_client, config.retry, credentials.service_account_email,
                        sleep, rng)
