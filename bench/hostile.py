"""Hostile workbooks: small files that ask for huge work. Each must be answered within seconds
with a clear refusal (or a served plan), in bounded memory, by the CLI and the API.

    python -m bench.hostile            # time and peak memory of each, through `plan` and the API

The files: a zip bomb (a few MiB that unpack to GiB), a workbook whose Clusters tab declares
16,384 columns and holds one cell on row 1,048,576, and a 200,000-cluster fleet.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from examples.make_fleet import DEFAULT_OUT

_CHUNK = b"\0" * (1 << 20)


def example_bytes() -> bytes:
    return Path(DEFAULT_OUT).read_bytes()


def zip_bomb(unpacked_mib: int = 1024, base: bytes | None = None) -> bytes:
    """The example workbook with its Clusters sheet replaced by ``unpacked_mib`` MiB of XML that
    deflates about 1,000 to 1 (an opening tag, then blanks)."""
    base = base or example_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                _write_bomb(target, info.filename, unpacked_mib)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def _write_bomb(target: zipfile.ZipFile, name: str, mib: int) -> None:
    with target.open(name, "w", force_zip64=True) as entry:
        entry.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        blanks = _CHUNK.replace(b"\0", b" ")
        for _ in range(mib):
            entry.write(blanks)


def huge_dimensions(base: bytes | None = None) -> bytes:
    """The example with one value at XFD1048576 of Clusters: 16,384 columns by 1,048,576 rows."""
    book = openpyxl.load_workbook(io.BytesIO(base or example_bytes()))
    book["Clusters"].cell(row=1_048_576, column=16_384, value="x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def many_clusters(n: int = 200_000) -> bytes:
    """A synthetic fleet of ``n`` clusters (bench/fleetgen.py), as .xlsx bytes."""
    from bench.fleetgen import synthetic_fleet
    from examples.xlsx_file import workbook_bytes

    return workbook_bytes(synthetic_fleet(n))


HOSTILE = {"zip bomb": zip_bomb, "huge dimensions": huge_dimensions, "200,000 clusters": many_clusters}


# --- measuring ---------------------------------------------------------------------------------

_API_SCRIPT = """
import io, sys, tempfile, time
from api import create_app
from api.auth import create_token
app = create_app({"DATABASE_URL": "sqlite:///" + tempfile.mkdtemp() + "/p.db"})
app.test_cli_runner().invoke(args=["init-db"])
with app.app_context():
    token = create_token("bench", "planner")
data = open(sys.argv[1], "rb").read()
response = app.test_client().post(
    "/api/v1/publications", headers={"Authorization": "Bearer " + token},
    data={"workbook": (io.BytesIO(data), "fleet.xlsx"), "message": "bench"},
    content_type="multipart/form-data")
body = response.get_json()
print(response.status_code, (body.get("detail") or "")[:160])
"""


def _run(command: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MiB (os.wait4 of that child), exit code and first output line."""
    import os
    import subprocess
    import time

    began = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.strip()]
    return time.monotonic() - began, usage.ru_maxrss / 1024, child.returncode, (lines or [""])[0][:160]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mib", type=int, default=4096, help="unpacked size of the zip bomb")
    parser.add_argument("--clusters", type=int, default=200_000)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp()
    makers = {f"zip bomb ({args.bomb_mib:,} MiB unpacked)": f"h.zip_bomb({args.bomb_mib})",
              "huge dimensions (XFD1048576)": "h.huge_dimensions()",
              f"{args.clusters:,} clusters": f"h.many_clusters({args.clusters})"}
    print("| file | size | `flask plan`: s, peak MiB, exit | API upload: s, peak MiB, status | answer |")
    print("|---|---:|---|---|---|")
    for name, make in makers.items():
        path = Path(folder) / "hostile.xlsx"
        # Made in a child: the peak RSS a child reports starts at its parent's (fork), so the
        # measuring parent must stay small.
        _run([sys.executable, "-c", "import sys, bench.hostile as h; "
              f"open(sys.argv[1], 'wb').write({make})", str(path)])
        cli = _run([sys.executable, "-m", "flask", "--app", "wsgi", "plan", str(path), "--json", "/dev/null"])
        api = _run([sys.executable, "-c", _API_SCRIPT, str(path)])
        print(f"| {name} | {path.stat().st_size / 1024:,.0f} KiB | {cli[0]:.1f} s, {cli[1]:.0f} MiB, "
              f"exit {cli[2]} | {api[0]:.1f} s, {api[1]:.0f} MiB, {api[3].split()[0]} | {cli[3]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
