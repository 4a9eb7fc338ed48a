"""Where a workbook comes from, from what a person types: a path to an .xlsx file, or more.

Each kind of place is one prefix and one branch here (the Google Sheets source adds ``gsheet:``).
"""
from __future__ import annotations

from collections.abc import Mapping

from .source import Source
from .xlsx import XlsxSource

GSHEET_PREFIX = "gsheet:"


def open_source(spec: str, settings: Mapping | None = None) -> Source:
    """The source ``spec`` names; reading it raises SourceError when it cannot be read.

    ``gsheet:ID`` (or ``gsheet:`` and the sheet's URL) is a live Google Sheet; ``settings``
    holds GOOGLE_APPLICATION_CREDENTIALS, SHEETS_API_URL, ... (api/config.py names them all)
    """
    if spec.startswith(GSHEET_PREFIX):
        from .gsheet import open_gsheet  # only Google users load gspread and google-auth

        return open_gsheet(spec[len(GSHEET_PREFIX):], settings or {})
    return XlsxSource(spec)
