"""Hostile and strange uploads, each through ``python -m core validate`` in its own process
with a time and memory limit: every one ends in exit 0 or 1 with its issue, never a
traceback, a crash or a hang. The files are built in memory by the tests."""
from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import inline_row, raw_xlsx

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 90  # per file, Python's start included; the slowest takes a few seconds
MEMORY = 4_000_000_000  # the command's address space (DuckDB alone reserves about 1.5 GB)

PATIENTS = inline_row(1, "patient_id", "sex", "age") + inline_row(2, "P1", "F", 40) + inline_row(3, "P2", "M", 50)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def _random_bytes(size: int) -> bytes:
    return random.Random(20240).randbytes(size)


def _far_cell() -> bytes:
    return raw_xlsx({"patients": PATIENTS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'})


def _stray_cell() -> bytes:
    return raw_xlsx({"patients": PATIENTS + '<row r="50000"><c r="ALL50000"><v>1</v></c></row>'})


def _four_billion_strings() -> bytes:
    strings = (f'<?xml version="1.0"?><sst xmlns="{_NS}" count="4000000000" uniqueCount="4000000000">'
               "<si><t>P1</t></si></sst>")
    return raw_xlsx({"patients": PATIENTS + '<row r="4"><c r="A4" t="s"><v>0</v></c></row>'}, strings)


def _declared_bomb() -> bytes:
    return raw_xlsx({"patients": PATIENTS}, declared={"xl/worksheets/sheet1.xml": 1_000_000_000})


def _filled_bomb() -> bytes:
    # About 60 MB of 100 kB strings, packed into a few hundred kB.
    cell = '<c t="inlineStr"><is><t>' + "x" * 100_000 + "</t></is></c>"
    return raw_xlsx({"patients": PATIENTS + ("<row>" + cell * 20 + "</row>") * 30}, compression=9)


def _two_hundred_sheets() -> bytes:
    sheets = {"patients": PATIENTS}
    sheets.update({f"Notes {k}": inline_row(1, "remarque", "date") + inline_row(2, "vu", "lundi") for k in range(199)})
    return raw_xlsx(sheets)


def _formulas_and_errors() -> bytes:
    rows = (inline_row(1, "patient_id", "sex", "age")
            + '<row r="2"><c r="A2" t="inlineStr"><is><t>P1</t></is></c><c r="B2" t="inlineStr"><is><t>F</t></is></c>'
              '<c r="C2"><f>40+2</f></c></row>'
            + '<row r="3"><c r="A3" t="inlineStr"><is><t>P2</t></is></c><c r="B3" t="inlineStr"><is><t>M</t></is></c>'
              '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    return raw_xlsx({"patients": rows})


def _five_megabyte_cell() -> bytes:
    # Varied letters: a cell of one letter repeated packs like a zip bomb (and is refused as one).
    text = "".join(random.Random(5).choices("abcdefghijklmnopqrstuvwxyz ", k=5_000_000))
    return raw_xlsx({"patients": PATIENTS + inline_row(4, "P3", "F", 33, text)})


def _ten_thousand_columns() -> bytes:
    header = ",".join(["patient_id", "sex", "age", *(f"c{k}" for k in range(10_000))])
    row = ",".join(["P1", "F", "40", *("7" * 10_000)])
    return f"{header}\n" + f"{row}\n" * 100


def _two_million_rows() -> bytes:
    return b"patient_id,sex,age\n" + b"P?,??,vieux\n" * 2_000_000


def _sql_headers() -> bytes:
    return ('patient_id,sex,age,"x""; DROP TABLE patients; --",\' OR 1=1 --,SELECT * FROM visits\n'
            "P1,F,40,a,b,c\nP2,M,50,d,e,f\n")


def _decimal_ages() -> bytes:
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    ages = pa.array([decimal.Decimal("40.0"), decimal.Decimal("52.5")], pa.decimal128(4, 1))
    pq.write_table(pa.table({"patient_id": ["P1", "P2"], "sex": ["F", "M"], "age": ages}), buffer)
    return buffer.getvalue()


def _raw_sheet(rows: str, hidden: bool = False, merges: str = "", style: str = "") -> bytes:
    """A one-sheet .xlsx written by hand (plus a hidden sheet of old patients when
    ``hidden``); ``merges`` goes after the sheet data, ``style`` is the xf list of styles.xml."""
    import zipfile

    content = raw_xlsx({"patients": rows, **({"old": PATIENTS} if hidden else {})})
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml" and merges:
                data = data.replace(b"</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>".encode())
            if info.filename == "xl/workbook.xml" and hidden:
                data = data.replace(b'name="old"', b'name="old" state="veryHidden"')
            if info.filename == "xl/_rels/workbook.xml.rels" and style:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
            archive.writestr(info.filename, data)
        if style:
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{_NS}"><numFmts count="1"><numFmt numFmtId="164" '
                             f'formatCode="0000"/></numFmts><cellXfs>{style}</cellXfs></styleSheet>')
    return target.getvalue()


def _merged_centre() -> bytes:
    rows = inline_row(1, "patient_id", "sex", "age", "centre") + inline_row(2, "P1", "F", 40, "Lille")
    rows += inline_row(3, "P2", "M", 50) + inline_row(4, "P3", "F", 30)
    return _raw_sheet(rows, merges='<mergeCell ref="D2:D4"/>')


def _padded_ids() -> bytes:
    rows = inline_row(1, "patient_id", "sex", "age") + '<row r="2"><c r="A2" s="1"><v>42</v></c>'
    rows += '<c r="B2" t="inlineStr"><is><t>F</t></is></c><c r="C2"><v>40</v></c></row>'
    return _raw_sheet(rows, style='<xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>')


def _mixed_encoding() -> bytes:
    return ("patient_id;sex;age;centre\nP1;F;40;Hôpital Nord\n".encode()
            + "P2;M;50;Hôpital Nord\n".encode("cp1252"))


# (file name, content builder, exit code, issue codes expected among the report's)
CORPUS = [
    ("far_cell.xlsx", _far_cell, 1, {"too_many_columns"}),
    ("stray_cell.xlsx", _stray_cell, 1, {"table_too_large"}),
    ("strings.xlsx", _four_billion_strings, 1, {"file_too_large"}),
    ("declared_bomb.xlsx", _declared_bomb, 1, {"file_too_large"}),
    ("filled_bomb.xlsx", _filled_bomb, 1, {"file_too_large"}),
    ("sheets.xlsx", _two_hundred_sheets, 0, {"unrecognised_table"}),
    ("formulas.xlsx", _formulas_and_errors, 0, {"formula_not_computed", "spreadsheet_error_value"}),
    ("long_cell.xlsx", _five_megabyte_cell, 0, {"cell_too_long"}),
    ("long_cell.csv", lambda: "patient_id,sex,age,note\nP1,F,40," + "x" * 5_000_000 + "\n", 1, {"unreadable_file"}),
    ("wide.csv", _ten_thousand_columns, 1, {"too_many_columns"}),
    ("rows.csv", _two_million_rows, 1, {"too_many_rows"}),
    ("sql.csv", _sql_headers, 0, {"unknown_column"}),
    ("random.xlsx", lambda: _random_bytes(20_000), 1, {"unreadable_file"}),
    ("random.csv", lambda: _random_bytes(20_000), 1, {"unreadable_file"}),
    ("random.parquet", lambda: _random_bytes(20_000), 1, {"unreadable_file"}),
    ("zip_of_random.xlsx", lambda: b"PK\x03\x04" + _random_bytes(20_000), 1, {"unreadable_file"}),
    ("image.xlsx", lambda: _PNG, 1, {"unreadable_file"}),
    ("image.csv", lambda: _PNG, 1, {"unreadable_file"}),
    ("nul.csv", lambda: b"patient_id,sex,age\nP1,F,40\n" + b"\x00" * 5000, 1, {"unreadable_file"}),
    ("ages.parquet", _decimal_ages, 0, set()),
    ("lookalike.csv", lambda: "patient_id,sex,age\nP1,F,40\n\u04201,F,40\n\uff301,F,40\nP\u200b1,F,40\n", 0,
     {"lookalike_id"}),
    ("trailing_comma.csv", lambda: "patient_id,sex,age,duration,\nP1,F,40,7,5\nP2,M,50,8,\n", 0, {"too_many_cells"}),
    ("mixed.csv", _mixed_encoding, 0, {"mixed_encoding"}),
    ("merged.xlsx", _merged_centre, 0, {"merged_cells"}),
    ("hidden.xlsx", lambda: _raw_sheet(PATIENTS, hidden=True), 0, {"hidden_sheet"}),
    ("padded.xlsx", _padded_ids, 0, set()),
]


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _validate(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "core", "validate", "--json", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=SECONDS,
                          preexec_fn=_limit_memory if sys.platform != "win32" else None)


@pytest.mark.parametrize(("name", "build", "exit_code", "codes"), CORPUS, ids=[c[0] for c in CORPUS])
def test_each_corpus_file_ends_in_a_clear_report(tmp_path, name, build, exit_code, codes):
    content = build()
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    started = time.perf_counter()
    result = _validate(path)
    elapsed = time.perf_counter() - started
    assert (result.returncode, result.stderr) == (exit_code, "")
    report = json.loads(result.stdout)
    found = {issue["code"] for issue in report["issues"]}
    assert codes <= found
    if not codes:
        assert report["issues"] == []
    assert all(issue["file"] == name for issue in report["issues"] if issue["code"] in codes)
    assert elapsed < SECONDS


def test_a_limit_error_names_the_file_and_the_limit_in_french(tmp_path):
    path = tmp_path / "far_cell.xlsx"
    path.write_bytes(_far_cell())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "core", "validate", "--lang", "fr", str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=SECONDS)
    assert result.returncode == 1
    assert "ERREUR   too_many_columns: far_cell.xlsx [patients]" in result.stdout
    assert "au-delà de la limite de 2\u202f000 colonnes" in result.stdout


def test_sql_like_headers_are_kept_as_text_and_change_no_query(tmp_path):
    path = tmp_path / "sql.csv"
    path.write_text(_sql_headers(), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "core", "summarize", str(path)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=SECONDS)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["populations"]["treated"] == 2
