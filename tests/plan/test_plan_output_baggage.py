"""Outputs carry values, not baggage: the .xlsx plan keeps the input's cells but not its links to
other files, and an input whose formatting openpyxl cannot rebuild is still written."""
import io
import re
import zipfile

import openpyxl
from openpyxl.packaging.relationship import Relationship
from openpyxl.workbook.external_link.external import ExternalBook, ExternalLink

from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets import xlsx_bytes
from sheets.xlsx import XlsxSource
from sheets.xlsx_output import plan_workbook
from tests.workbooks import valid_workbook

UNC = r"\\fileserver\plans\budget.xlsx"


def planned(data: bytes) -> bytes:
    doc = plan_document(validate(XlsxSource(data).read()))
    return xlsx_bytes.stable_bytes(plan_workbook(data, doc))


def with_external_link(data: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    link = ExternalLink(externalBook=ExternalBook(id="rId1"))
    link.file_link = Relationship(Id="rId1", Target=UNC, TargetMode="External", Type=(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"))
    book._external_links.append(link)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_plan_workbook_does_not_carry_the_inputs_external_links():
    source = with_external_link(valid_workbook())
    assert UNC.encode() in b"".join(zipfile.ZipFile(io.BytesIO(source)).read(n)
                                    for n in zipfile.ZipFile(io.BytesIO(source)).namelist())
    output = zipfile.ZipFile(io.BytesIO(planned(source)))
    assert not [n for n in output.namelist() if "externalLink" in n]
    assert all(UNC.encode() not in output.read(n) for n in output.namelist())


def test_an_input_with_a_bad_style_index_is_still_written_with_its_cells():
    source = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid_workbook())) as original, zipfile.ZipFile(source, "w") as copy:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<c r="A2"( [^>]*)?>', rb'<c r="A2" s="9999" t="inlineStr">', content, 1)
            copy.writestr(info, content)
    book = openpyxl.load_workbook(io.BytesIO(planned(source.getvalue())))
    assert book["Clusters"]["A1"].value == "cluster" and "Schedule" in book.sheetnames
