"""Every numeric reading of a date follows the workbook's own conventions: a workbook saved in
Excel's 1904 date system counts serial dates from 1904-01-01, typed date cells and plain numbers
alike."""
import datetime as dt
import io

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from rules.validation.workbook import validate
from sheets.xlsx import XlsxSource
from tests.workbooks import set_cell, valid_tabs

DAY = dt.date(2026, 1, 9)


def saved_1904(tabs) -> bytes:
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_plain_number_in_a_1904_workbook_is_the_day_it_shows_there():
    serial = (DAY - dt.date(1904, 1, 1)).days
    for value in (serial, str(serial), DAY):
        tabs = set_cell(valid_tabs(), "Clusters!J2", value)
        validated = validate(XlsxSource(saved_1904(tabs)).read())
        assert validated.ok, validated.errors
        assert validated.workbook.clusters[0].pinned_date == DAY
