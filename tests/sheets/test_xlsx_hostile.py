"""Hostile .xlsx files are refused before they are parsed, within seconds, by the reader and the
CLI: a zip bomb by its unpacked size, a file claiming a million rows by its far cell."""
import time

import pytest

from bench.hostile import huge_dimensions, zip_bomb
from sheets.source import SourceError
from sheets.xlsx import XlsxSource


@pytest.fixture(scope="module")
def bomb():
    return zip_bomb(40)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(bomb):
    began = time.monotonic()
    with pytest.raises(SourceError, match=r"unpacks to 40 MiB in \d+ parts: a planning workbook is at most 32 MiB"):
        XlsxSource(bomb, "bomb.xlsx").read()
    assert time.monotonic() - began < 5


def test_a_value_on_the_last_row_and_column_is_refused_at_its_cell():
    with pytest.raises(SourceError) as caught:
        XlsxSource(huge_dimensions(), "far.xlsx").read()
    assert str(caught.value) == (
        "far.xlsx: Clusters!XFD1048576 holds a value beyond the 10,000 rows and 200 columns a tab "
        "may have: clear it, or split the workbook")


@pytest.mark.parametrize("make, words", [(lambda: zip_bomb(40), "unpacks to 40 MiB"),
                                         (huge_dimensions, "XFD1048576")])
def test_the_cli_answers_a_hostile_file_with_one_line_and_exit_2(runner, tmp_path, make, words):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    for command in (["validate", str(path)], ["plan", str(path)]):
        result = runner.invoke(args=command)
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output
