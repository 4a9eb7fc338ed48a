"""The .xlsx source and writer: real files, the same errors as memory, clean failures."""
import datetime as dt
import io

import openpyxl
import pytest

from rules.validation.workbook import validate
from sheets.memory import MemorySource
from sheets.source import SourceError
from sheets.sources import open_source
from sheets.xlsx import XlsxSource, write_workbook
from tests.workbooks import set_cell, valid_tabs


def broken_tabs():
    tabs = valid_tabs()
    for ref, value in (("Clusters!D3", "12O"), ("Clusters!B4", "eastus9"), ("Regions!D2", "Mars/Base"),
                       ("Settings!B6", "10:00"), ("Rules!L1", "wrkload"), ("Rules!C9", "nobody"),
                       ("Rules!J3", "maybe"), ("Rules!I2", "=A1")):
        set_cell(tabs, ref, value)
    return tabs


def test_xlsx_and_memory_give_the_same_errors_for_the_same_content(tmp_path):
    path = tmp_path / "broken.xlsx"
    write_workbook(path, broken_tabs())
    from_file = validate(XlsxSource(path).read())
    from_memory = validate(MemorySource(broken_tabs()).read())
    assert len(from_file.errors) == 8
    assert from_file.errors == from_memory.errors


def test_xlsx_and_memory_give_the_same_model(tmp_path):
    path = tmp_path / "valid.xlsx"
    write_workbook(path, valid_tabs())
    from_file = validate(XlsxSource(str(path)).read())
    assert from_file.ok, from_file.errors
    from_memory = validate(MemorySource(valid_tabs()).read())
    assert from_file.workbook.clusters == from_memory.workbook.clusters
    assert from_file.workbook.settings == from_memory.workbook.settings
    assert [r.id for r in from_file.workbook.rules] == [r.id for r in from_memory.workbook.rules]


def test_excel_dates_and_times_are_read_as_typed_values(tmp_path):
    tabs = set_cell(valid_tabs(), "Clusters!J2", dt.date(2026, 1, 9))
    set_cell(tabs, "Settings!B5", dt.time(10, 30))
    path = tmp_path / "dates.xlsx"
    write_workbook(path, tabs)
    book = validate(XlsxSource(path).read()).workbook
    assert book.clusters[0].pinned_date == dt.date(2026, 1, 9)
    assert book.settings.window_start == dt.time(10, 30)


def test_a_formula_is_read_as_its_text_not_its_cached_value(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Clusters"
    sheet.append(["cluster", "nodes"])
    sheet.append(["a", "=2*6"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    assert XlsxSource(path).read().table("clusters").rows[1] == ("a", "=2*6")


def test_the_writer_keeps_text_that_looks_like_a_formula_as_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_workbook(path, {"Schedule": [["cluster"], ["=IMPORTXML(1)"]]})
    cell = openpyxl.load_workbook(path)["Schedule"]["A2"]
    assert (cell.value, cell.data_type) == ("=IMPORTXML(1)", "s")


def test_the_writer_freezes_and_bolds_the_header_and_writes_dates_as_dates(tmp_path):
    path = tmp_path / "out.xlsx"
    stamp = dt.datetime(2026, 1, 5, 11, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    write_workbook(path, {"Schedule": [["cluster", "date", "start"], ["a", dt.date(2026, 1, 5), stamp]]})
    sheet = openpyxl.load_workbook(path)["Schedule"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].value == "2026-01-05T11:00:00+01:00"


def test_bytes_and_file_objects_are_read_like_paths(tmp_path):
    path = tmp_path / "valid.xlsx"
    write_workbook(path, valid_tabs())
    data = path.read_bytes()
    by_path = XlsxSource(path).read()
    assert XlsxSource(data).read() == by_path
    assert XlsxSource(io.BytesIO(data), description="upload").read() == by_path
    assert XlsxSource(data).description == "workbook"


def test_tab_titles_keep_their_spelling_and_trailing_blank_cells_are_dropped(tmp_path):
    path = tmp_path / "x.xlsx"
    write_workbook(path, {"REGIONS": [["region", "geo", None], ["a", "EU", None], [None, None]]})
    table = XlsxSource(path).read().table("regions")
    assert table.title == "REGIONS" and table.rows == (("region", "geo"), ("a", "EU"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.xlsx", "missing.xlsx: no such file"),
        (lambda d: d, "is a directory, not a workbook"),
        (lambda d: _write(d / "notes.txt", b"just text"), "is not an Excel workbook (.xlsx): save it as "
                                                          ".xlsx from Excel or Google Sheets and try again"),
        (lambda d: _write(d / "corrupt.xlsx", b"PK\x03\x04 not really a zip"), "is not an Excel workbook"),
        (lambda d: _write(d / "empty.xlsx", b""), "is not an Excel workbook"),
    ],
    ids=["missing", "directory", "text-file", "corrupt", "empty"],
)
def test_what_is_not_a_workbook_fails_with_one_clear_line(tmp_path, make, message):
    with pytest.raises(SourceError) as failure:
        XlsxSource(make(tmp_path)).read()
    text = str(failure.value)
    assert message in text and "\n" not in text and "Traceback" not in text


def test_a_zip_that_is_not_a_workbook_fails_cleanly(tmp_path):
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SourceError, match="is not an Excel workbook"):
        XlsxSource(path).read()


def test_open_source_opens_a_path_as_an_xlsx_workbook(tmp_path):
    path = tmp_path / "valid.xlsx"
    write_workbook(path, valid_tabs())
    source = open_source(str(path))
    assert source.description == str(path)
    assert validate(source.read()).ok


def _write(path, data):
    path.write_bytes(data)
    return path
