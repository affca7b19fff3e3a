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


def _frame_with_every_kind_of_cell():
    import numpy as np
    import pandas as pd

    return pd.DataFrame({
        "=id": pd.Series(["=1+2", "P2", None, "-cmd|calc", "a;b", 'say "hi"', "@x", "\tP5"], dtype="string"),
        "mixed": pd.Series(["+P2", 3, np.nan, 2.5, "line\nbreak", None, -1, "x"], dtype=object),
        "n": [1.5, np.nan, 3.0, 1e20, -2.0, 0.1 + 0.2, 7.0, 8.0],
        "k": [1, 2, 3, 4, 5, 6, 7, 8],
    })


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_vectorised_csv_writes_what_the_cell_by_cell_writer_wrote(lang):
    """``table_csv`` (pandas, column by column) gives the bytes of Python's csv writer fed
    one guarded cell at a time, missing values as empty cells."""
    import math

    import pandas as pd

    from core.export.csv_xlsx import CSV_DELIMITER, table_csv
    from core.export.tables import ExportTable

    frame = _frame_with_every_kind_of_cell()

    def plain(value):
        value = value.item() if hasattr(value, "item") else value
        return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER[lang], lineterminator="\r\n")
    writer.writerow([csv_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([csv_cell(plain(v)) for v in row])
    assert table_csv(ExportTable("t", "T", frame), lang) == buffer.getvalue().encode("utf-8-sig")


def test_csv_column_guards_each_text_as_csv_cell_does():
    from core.export.safe import csv_column

    import pandas as pd

    for _, column in _frame_with_every_kind_of_cell().items():
        for got, value in zip(csv_column(column).tolist(), column.tolist()):
            assert got == csv_cell(value) if isinstance(value, str) else (pd.isna(got) and pd.isna(value) or got == value)


def test_xlsx_writes_numbers_as_numbers_text_as_text_and_missing_as_empty_text():
    from openpyxl import load_workbook

    from core.export.csv_xlsx import tables_xlsx
    from core.export.stamp import make_stamp
    from core.export.tables import ExportTable

    frame = _frame_with_every_kind_of_cell()
    book = load_workbook(io.BytesIO(tables_xlsx([ExportTable("t", "T", frame)], make_stamp([("a", b"1")]), "en", "T")))
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows(min_row=5, max_row=4 + len(frame))]
    assert [row[0] for row in rows] == ["=1+2", "P2", "", "-cmd|calc", "a;b", 'say "hi"', "@x", "\tP5"]
    assert [row[1] for row in rows] == ["+P2", 3, "", 2.5, "line\nbreak", "", -1, "x"]
    assert [row[2] for row in rows] == [1.5, "", 3.0, 1e20, -2.0, pytest.approx(0.3), 7.0, 8.0]
    assert [row[3] for row in rows] == list(range(1, 9))


@pytest.mark.parametrize("dtype", ["category", "arrow"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_csv_guards_text_of_every_dtype_as_the_cell_by_cell_writer(dtype, lang):
    """A categorical or Arrow-backed text column holds text too: its dangerous cells are
    quoted, and the file is the one the cell-by-cell writer gave."""
    import pandas as pd
    import pyarrow as pa

    from core.export.csv_xlsx import CSV_DELIMITER, table_csv
    from core.export.safe import csv_column
    from core.export.tables import ExportTable

    values = ["=1+2", "-cmd|calc", "@x", "\tP5", "P2", "a;b", None]
    column = pd.Series(values, dtype="category" if dtype == "category" else pd.ArrowDtype(pa.string()))
    assert [None if pd.isna(v) else v for v in csv_column(column).tolist()] == \
        ["'=1+2", "'-cmd|calc", "'@x", "'\tP5", "P2", "a;b", None]
    frame = pd.DataFrame({"id": column, "k": range(len(values))})
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER[lang], lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    for value, k in zip(values, range(len(values))):
        writer.writerow([csv_cell("" if value is None else value), k])
    assert table_csv(ExportTable("t", "T", frame), lang) == buffer.getvalue().encode("utf-8-sig")


def test_tables_on_the_pages_offer_no_unguarded_csv():
    """st.dataframe's own "Download as CSV" (and its clipboard copy) writes a cell such as
    =HYPERLINK(...) as it is, a formula once opened in Excel: the app's config turns
    them off; a page's lists are downloaded through ``ui.lists``, whose cells are safe."""
    import tomllib

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
