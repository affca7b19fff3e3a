"""Bounded reading: files past a limit are refused before parsing, and the workbook
reader's crash, memory or time-out ends in a clear issue, never in the caller's process."""
from __future__ import annotations

import io
import time
import zipfile

import pandas as pd
import pytest

from core.formats import read_files
from core.limits import ReadLimits, limits_from_env, shape_issue
from core.report import ERROR
from core.sheet_xml import column_letters
from core.workbook_scan import scan_workbook
from tests.helpers import inline_row, raw_xlsx, xlsx_bytes

HEADER = inline_row(1, "patient_id", "sex", "age")
PATIENTS = HEADER + inline_row(2, "P1", "F", 40) + inline_row(3, "P2", "M", 50)
# Limits loose enough to let a hostile workbook reach the reader.
LOOSE = ReadLimits(max_rows=10**9, max_columns=10**9, max_cells=10**15, max_shared_strings=10**12)


def _codes(issues) -> list[tuple[str, str]]:
    return [(i.code, i.variant) for i in issues]


def _read(name: str, content: bytes, limits: ReadLimits | None = None):
    return read_files([(name, content)], limits)


# --- The limits themselves -----------------------------------------------------------

def test_a_limit_must_be_positive():
    with pytest.raises(ValueError, match="max_rows must be > 0"):
        ReadLimits(max_rows=0)


def test_environment_variables_change_the_defaults():
    limits = limits_from_env({"LIVING_POSTER_MAX_ROWS": "5000", "LIVING_POSTER_READER_SECONDS": "30.5"})
    assert (limits.max_rows, limits.reader_seconds, limits.max_columns) == (5000, 30.5, ReadLimits().max_columns)


def test_an_unreadable_environment_variable_is_an_error():
    with pytest.raises(ValueError, match="LIVING_POSTER_MAX_ROWS='many' is not a number"):
        limits_from_env({"LIVING_POSTER_MAX_ROWS": "many"})


@pytest.mark.parametrize(("rows", "columns", "code"), [
    (10, 10, None),
    (11, 1, "too_many_rows"),
    (1, 11, "too_many_columns"),
])
def test_shape_limits_are_inclusive(rows, columns, code):
    limits = ReadLimits(max_rows=10, max_columns=10, max_cells=100)
    issue = shape_issue("f.csv", None, rows, columns, limits)
    assert (issue.code if issue else None) == code


def test_the_cells_limit_bounds_the_grid_not_each_side():
    issue = shape_issue("f.xlsx", "patients", 11, 10, ReadLimits(max_rows=20, max_columns=20, max_cells=100))
    assert (issue.code, issue.sheet, issue.severity) == ("table_too_large", "patients", ERROR)
    assert issue.text("en") == ("Sheet 'patients' spans 11 rows by 10 columns (110 cells), "
                                "more than the limit of 100 cells.")


@pytest.mark.parametrize(("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (1000, "ALL"), (16384, "XFD")])
def test_column_letters(number, letters):
    assert column_letters(number) == letters


# --- Workbooks: the scan before the reader --------------------------------------------

def test_a_normal_workbook_passes_the_scan_untouched():
    assert scan_workbook("ok.xlsx", xlsx_bytes({"patients": [["patient_id", "age"], ["P1", 40]]}),
                         ReadLimits()).issues == ()


def test_a_cell_at_the_last_excel_column_is_refused_before_reading():
    content = raw_xlsx({"patients": PATIENTS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'})
    tables, issues = _read("far.xlsx", content)
    assert tables == []
    assert _codes(issues) == [("too_many_columns", "sheet")]
    assert issues[0].file == "far.xlsx"
    assert issues[0].text("fr") == ("La feuille «\u202fpatients\u202f» va jusqu'à la colonne 16\u202f384, "
                                    "au-delà de la limite de 2\u202f000 colonnes.")


def test_a_stray_cell_making_a_huge_grid_is_refused():
    content = raw_xlsx({"patients": PATIENTS + '<row r="50000"><c r="ALL50000"><v>1</v></c></row>'})
    started = time.perf_counter()
    _, issues = _read("stray.xlsx", content)
    assert _codes(issues) == [("table_too_large", "sheet")]
    assert dict(issues[0].params)["cells"] == 50_000_000.0
    assert time.perf_counter() - started < 5


def test_rows_beyond_the_limit_are_refused():
    content = raw_xlsx({"patients": PATIENTS + inline_row(40, "P3", "F", 30)})
    _, issues = _read("long.xlsx", content, ReadLimits(max_rows=39))
    assert _codes(issues) == [("too_many_rows", "sheet")]
    assert dict(issues[0].params) == {"rows": 40.0, "limit": 39.0, "sheet": "patients"}


def test_cells_without_references_are_placed_by_position():
    # References are optional in the format: cells then follow one another.
    row = "<row>" + "<c><v>1</v></c>" * 12 + "</row>"
    content = raw_xlsx({"patients": PATIENTS + row})
    _, issues = _read("norefs.xlsx", content, ReadLimits(max_columns=11))
    assert _codes(issues) == [("too_many_columns", "sheet")]
    assert dict(issues[0].params)["columns"] == 12.0


def test_a_shared_string_table_claiming_four_billion_entries_is_refused():
    strings = (f'<?xml version="1.0"?><sst xmlns="{"http://schemas.openxmlformats.org/spreadsheetml/2006/main"}" '
               'count="4000000000" uniqueCount="4000000000"><si><t>P1</t></si></sst>')
    content = raw_xlsx({"patients": HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'}, strings)
    _, issues = _read("strings.xlsx", content)
    assert _codes(issues) == [("file_too_large", "strings")]
    assert issues[0].text("en") == "The workbook declares 4,000,000,000 distinct texts, more than the 20,000,000 allowed."


def test_a_declared_uncompressed_size_past_the_limit_is_refused():
    content = raw_xlsx({"patients": PATIENTS}, declared={"xl/worksheets/sheet1.xml": 600_000_000})
    _, issues = _read("bomb.xlsx", content)
    assert _codes(issues) == [("file_too_large", "uncompressed")]
    assert dict(issues[0].params) == {"size": 600.0, "limit": 500.0}


def test_one_part_past_its_own_limit_is_named():
    content = raw_xlsx({"patients": PATIENTS}, declared={"xl/worksheets/sheet1.xml": 2_000_000})
    _, issues = _read("part.xlsx", content, ReadLimits(max_entry_bytes=1_000_000))
    assert _codes(issues) == [("file_too_large", "entry")]
    assert dict(issues[0].params)["part"] == "xl/worksheets/sheet1.xml"


def test_a_part_that_packs_far_too_well_is_refused():
    # 30 MB of identical cells packs into about 30 KB: a zip bomb's signature.
    filler = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 1000 + "</row>"
    content = raw_xlsx({"patients": PATIENTS + filler * 800}, compression=9)
    _, issues = _read("packed.xlsx", content)
    assert _codes(issues) == [("file_too_large", "ratio")]


def test_a_size_that_lies_about_its_content_is_caught():
    # The directory declares fewer bytes than the part holds (a reader trusting the
    # stream would unpack it all): the archive is refused as damaged.
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw_xlsx({"patients": PATIENTS}))) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/extra.xml", "<x>" + "y" * 5000 + "</x>")
        target.infolist()[-1].file_size = 100
    content = buffer.getvalue()
    _, issues = _read("lies.xlsx", content)
    assert _codes(issues) == [("unreadable_file", "workbook")]


def test_too_many_sheets_are_refused():
    content = raw_xlsx({f"s{k}": PATIENTS for k in range(4)})
    _, issues = _read("sheets.xlsx", content, ReadLimits(max_sheets=3))
    assert _codes(issues) == [("too_many_sheets", "")]


# --- Workbooks: the reader's child process -----------------------------------------------

def test_a_reader_abort_becomes_an_issue_and_the_caller_goes_on():
    # With the scan's limits lifted, the native reader asks for 512 GB and aborts: only its
    # child process ends.
    content = raw_xlsx({"patients": PATIENTS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'})
    tables, issues = _read("far.xlsx", content, LOOSE)
    assert tables == []
    assert _codes(issues) == [("reader_failed", "")]
    assert issues[0].text("en") == ("The workbook could not be read within the reader's limits "
                                    "(4,000 MB of memory): the reader stopped.")
    assert _read("ok.xlsx", raw_xlsx({"patients": PATIENTS}))[0][0].data.shape == (2, 3)


def test_a_reader_past_its_time_limit_is_stopped():
    content = raw_xlsx({"patients": PATIENTS + '<row r="50000"><c r="ALL50000"><v>1</v></c></row>'})
    started = time.perf_counter()
    _, issues = _read("slow.xlsx", content, ReadLimits(max_cells=10**9, reader_seconds=0.5))
    assert _codes(issues) == [("reader_failed", "time")]
    assert time.perf_counter() - started < 10


def test_the_reader_child_can_never_dump_its_memory_to_disk():
    # Where core dumps are enabled, a reader crash (an abort, SIGXCPU) would write the
    # workbook's cells to a core file: the child forbids itself any, even when it
    # inherits a limit that allows them.
    import resource
    import subprocess
    import sys

    from core.workbook_reader import _ROOT

    probe = ("import ctypes, resource, sys\n"
             "from core.workbook_child import _limit_self\n"
             "_limit_self(2**32, 5)\n"
             "dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) if sys.platform.startswith('linux') else 0\n"
             "print(resource.getrlimit(resource.RLIMIT_CORE)[0], dumpable)\n")
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0:
        pytest.skip("core dumps are off for every process here")

    def allow_core() -> None:
        resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))

    out = subprocess.run([sys.executable, "-c", probe], cwd=_ROOT, capture_output=True, text=True, check=True,
                         preexec_fn=allow_core).stdout
    assert out.split() == ["0", "0"]


def test_a_text_cell_longer_than_a_spreadsheet_cell_is_left_missing():
    long_text = "x" * 40_000
    content = raw_xlsx({"patients": PATIENTS + inline_row(4, "P3", "F", long_text)})
    tables, issues = _read("long.xlsx", content)
    assert _codes(issues) == [("cell_too_long", "")]
    assert (issues[0].row, issues[0].column, issues[0].value) == (4, "age", None)
    assert issues[0].text("en") == ("Cell C4 holds 40,000 characters, more than the 32,767 a spreadsheet cell "
                                    "can hold; the value is left missing.")
    assert tables[0].data.iloc[2].tolist() == ["P3", "F", None]


# --- CSV and Parquet ------------------------------------------------------------------

def test_a_file_past_the_size_limit_is_not_read():
    _, issues = _read("patients.csv", b"patient_id,sex,age\n" + b"P1,F,40\n" * 20, ReadLimits(max_file_bytes=100))
    assert _codes(issues) == [("file_too_large", "")]


def test_a_csv_ten_thousand_columns_wide_is_refused_quickly():
    header = ",".join(["patient_id", "sex", "age", *(f"c{k}" for k in range(10_000))])
    rows = "\n".join(",".join(["P1", "F", "40", *("1" * 10_000)]) for _ in range(20))
    started = time.perf_counter()
    _, issues = _read("wide.csv", f"{header}\n{rows}\n".encode())
    assert _codes(issues) == [("too_many_columns", "")]
    assert dict(issues[0].params) == {"columns": 10_003.0, "limit": 2_000.0}
    assert time.perf_counter() - started < 5


def test_csv_rows_beyond_the_limit_are_refused():
    _, issues = _read("patients.csv", b"patient_id,sex,age\n" + b"P1,F,40\n" * 10, ReadLimits(max_rows=10))
    assert _codes(issues) == [("too_many_rows", "")]


def test_a_parquet_file_is_measured_from_its_metadata():
    buffer = io.BytesIO()
    pd.DataFrame({"patient_id": [f"P{k}" for k in range(50)], "age": 40}).to_parquet(buffer)
    _, issues = _read("patients.parquet", buffer.getvalue(), ReadLimits(max_rows=50))
    assert _codes(issues) == [("too_many_rows", "")]
    assert dict(issues[0].params)["rows"] == 51.0  # the header row a spreadsheet would show


def test_load_cohort_takes_the_limits():
    from core.loader import load_cohort

    result = load_cohort([("patients.csv", b"patient_id,sex,age\nP1,F,40\nP2,M,50\n")], limits=ReadLimits(max_rows=2))
    assert (result.cohort, _codes(result.report.issues)) == (None, [("too_many_rows", "")])


def test_references_in_single_quotes_are_measured_too():
    content = raw_xlsx({"patients": PATIENTS + "<row r='7'><c r='XFD7'><v>1</v></c></row>"})
    _, issues = _read("quotes.xlsx", content)
    assert _codes(issues) == [("too_many_columns", "sheet")]
