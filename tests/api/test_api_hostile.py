"""Hostile input through the API: small bodies that ask for huge work are refused within
seconds with a problem naming the reason, and the current version stays as it was."""
import io
import zipfile

from api.windows import window_id
from bench.hostile import huge_dimensions, zip_bomb
from tests.api_plans import document, publish, window
from tests.workbooks import valid_tabs, xlsx

WID = window_id("swc-canary", 1)


def upload(data: bytes) -> dict:
    return {"data": {"workbook": (io.BytesIO(data), "fleet.xlsx"), "message": "m"},
            "content_type": "multipart/form-data"}


def refused(client, tokens, data: bytes) -> dict:
    response = client.post("/api/v1/publications", headers=tokens["planner"], **upload(data))
    assert response.status_code == 422, response.get_json()
    assert client.get("/api/v1/versions", headers=tokens["reader"]).get_json() is not None
    return response.get_json()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, tokens):
    body = refused(client, tokens, zip_bomb(40))
    assert "unpacks to 40 MiB" in body["detail"] and "at most 32 MiB" in body["detail"]


def test_a_workbook_declaring_a_million_rows_is_refused_at_the_far_cell(client, tokens):
    body = refused(client, tokens, huge_dimensions())
    assert "Clusters!XFD1048576 holds a value beyond the 10,000 rows" in body["detail"]


def renamed_tab(data: bytes, old: str, new: str) -> bytes:
    """The workbook with a tab renamed in its XML (Excel would refuse the name; a file need not)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = content.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
            target.writestr(info, content)
    return out.getvalue()


def test_two_tabs_named_alike_are_refused_with_the_cell(client, tokens):
    tabs = valid_tabs()
    tabs["Shadow"] = [["cluster"], ["shadow"]]
    body = refused(client, tokens, renamed_tab(xlsx(tabs), "Shadow", "CLUSTERS"))
    assert {"cell": "CLUSTERS!A1", "message": 'a second tab named "CLUSTERS" (tab names are read '
            "ignoring case, so the two cannot be told apart): rename or delete one"} in body["errors"]


def test_json_nested_a_thousand_deep_is_a_400_not_a_500(app, client, tokens):
    publish(app, document(window("swc-canary", "2026-01-05")))
    body = "[" * 1000 + "]" * 1000
    for nested in (body, '{"state": ' + body + "}"):
        response = client.post(f"/api/v1/windows/{WID}/state", data=nested,
                               headers={**tokens["reporter"], "Content-Type": "application/json"})
        assert response.status_code == 400
        assert "nested more than 32 levels" in response.get_json()["detail"]
