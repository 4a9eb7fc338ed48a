"""SHEET_PROTECTION, read in one place for the web app and the CLI alike."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from sheets.gsheet import output_editors

CLIENT = SimpleNamespace(account="planner@project.iam.gserviceaccount.com")


@pytest.mark.parametrize("protection", [None, "", "editors"])
def test_by_default_only_the_service_account_may_edit_the_output_tabs(protection):
    assert output_editors(protection, CLIENT) == ("planner@project.iam.gserviceaccount.com",)


def test_warning_protection_names_no_editors_so_people_are_only_warned():
    assert output_editors("warning", CLIENT) == ()
