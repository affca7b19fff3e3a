"""Safe cells: a patient id or description that looks like a formula is exported as
text in CSV and XLSX, never as a formula."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from core.cli import main
from core.export.safe import csv_cell, is_dangerous

PATIENTS = "patient_id,sex,age,cutaneous,articular,acr_eular_2019\n=1+2,F,40,yes,no,yes\n+P2,F,50,yes,yes,yes\n" \
           "@P3,M,30,no,yes,yes\nP4,F,45,yes,no,yes\n"
VISITS = "patient_id,month,cs_dose_mg,cutaneous_response\n=1+2,0,10,\n=1+2,3,5,CR\n+P2,0,5,\n+P2,3,0,PR\n" \
         "@P3,0,0,\nP4,0,7.5,\nP4,3,5,NR\n"
EVENTS = 'patient_id,month,type,description,severe\n=1+2,2,infection,-cmd|calc,no\n@P3,1,visceral,"=HYPERLINK(""x"")",\n'


@pytest.mark.parametrize(("value", "written"), [
    ("=1+2", "'=1+2"), ("+P2", "'+P2"), ("-cmd|calc", "'-cmd|calc"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tP5", "'\tP5"), ("\rP6", "'\rP6"), ("P7", "P7"), ("a=b", "a=b"), ("", ""), (-2.5, -2.5), (3, 3),
])
def test_csv_cell_quotes_text_a_spreadsheet_would_run(value, written):
    assert csv_cell(value) == written


def test_only_the_first_character_matters():
    assert (is_dangerous("=x"), is_dangerous(" =x"), is_dangerous("x=")) == (True, False, False)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("formula_cohort")
    for name, text in (("patients", PATIENTS), ("visits", VISITS), ("events", EVENTS)):
        (source / f"{name}.csv").write_text(text, encoding="utf-8")
    folder = tmp_path_factory.mktemp("formula_out")
    files = [str(source / f"{name}.csv") for name in ("patients", "visits", "events")]
    assert main(["poster", *files, "--out", str(folder), "--lang", "en"]) == 0
    return folder


def test_csv_writes_formula_like_ids_and_descriptions_as_quoted_text(out):
    text = (out / "tables" / "events.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = {cell for row in rows[1:] for cell in row}
    assert {"'=1+2", "'@P3", "'-cmd|calc", "'=HYPERLINK(\"x\")"} <= cells
    assert not any(is_dangerous(cell) for row in rows for cell in row)


def test_xlsx_keeps_the_id_as_text_and_has_no_formula_cell(out):
    from openpyxl import load_workbook

    book = load_workbook(out / "tables.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    as_text = {c.value for c in cells if c.data_type == "s"}
    assert {"=1+2", "@P3", "-cmd|calc", '=HYPERLINK("x")'} <= as_text
