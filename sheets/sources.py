"""Where a workbook comes from, from what a person types: a path to an .xlsx file, or more.

Each kind of place is one prefix and one branch here (the Google Sheets source adds ``gsheet:``).
"""
from __future__ import annotations

from .source import Source
from .xlsx import XlsxSource


def open_source(spec: str) -> Source:
    """The source ``spec`` names; reading it raises SourceError when it cannot be read."""
    return XlsxSource(spec)
