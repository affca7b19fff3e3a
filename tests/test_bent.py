"""Nothing read bent without a word: look-alike ids, a row shifted under a trailing
delimiter, mixed encodings, number-formatted ids, hidden sheets, merged cells. Every
input is built in memory."""
from __future__ import annotations

import pandas as pd
import pytest

from core.formats import read_files
from core.loader import load_cohort
from core.lookalike_ids import fold, lookalike_groups


def _codes(result, code):
    return [i for i in result.report.issues if i.code == code]


# --- look-alike ids ---------------------------------------------------------------

LOOKALIKES = ["P1", "\u04201", "\uff301", "P\u200b1"]  # Latin, Cyrillic Er, fullwidth, zero-width space


def test_four_spellings_of_one_id_are_one_group_with_their_rows():
    rows = "".join(f"{pid},F,40\n" for pid in LOOKALIKES)
    result = load_cohort([("p.csv", f"patient_id,sex,age\n{rows}P2,M,50\n".encode())])
    [issue] = _codes(result, "lookalike_id")
    assert issue.severity == "warning" and issue.row == 2 and issue.column == "patient_id"
    for row in (2, 3, 4, 5):
        assert f"({row})" in issue.message
    assert "U+0420" in issue.message and "U+FF30" in issue.message and "U+200B" in issue.message
    assert "P2" not in issue.message
    assert issue.text("fr") != issue.message and "U+200B" in issue.text("fr")
    # The spellings are listed in each language's punctuation.
    assert "(2); " in issue.message and "(2)\u202f; " in issue.text("fr") and "(2); " not in issue.text("fr")
    assert result.report.counts["patients"].kept == 5  # warned, not merged


@pytest.mark.parametrize("other", ["p1", "P1\u00a0", "\ufeffP1", "P\u00ad1", "\u03a11", "P\u200d1"])
def test_each_folding_makes_the_ids_alike(other):
    assert lookalike_groups(pd.Series(["P1", other, "P10"])) == [["P1", other]]


@pytest.mark.parametrize(("ids", "groups"), [
    (["P1", "P2", "AB-3"], []),  # no lower-case letter: apart without hashing the keys
    (["p1", "p2", "ab-3"], []),  # no upper-case letter
    (["P1", "p1", "P2"], [["P1", "p1"]]),  # both: hashed
    (["P1", " P1", "P2"], [["P1", " P1"]]),  # a space to trim
    (["Ab1", "aB1", "x"], [["Ab1", "aB1"]]),
])
def test_printable_ascii_ids_alike_by_case_or_spaces_only(ids, groups):
    assert lookalike_groups(pd.Series(ids)) == groups


def test_distinct_ids_are_not_alike():
    ids = pd.Series(["P1", "P2", "P10", "1P", "PI", None, "P1"])
    assert lookalike_groups(ids) == []
    assert fold(pd.Series(["\u0420\u0410\u0412"])).tolist() == ["pab"]


def test_many_groups_are_named_up_to_a_hundred_then_counted():
    rows = "".join(f"P{k},F,40\np\u200b{k},F,41\n" for k in range(300))
    result = load_cohort([("p.csv", f"patient_id,sex,age\n{rows}".encode())])
    issues = _codes(result, "lookalike_id")
    assert [i.variant for i in issues] == [""] * 100 + ["more"]
    assert issues[0].row == 2 and "(2)" in issues[0].message and "(3)" in issues[0].message
    assert "200 more" in issues[-1].message and issues[-1].text("fr") != issues[-1].message


def test_rows_of_an_id_written_many_times_are_shortened():
    rows = "".join(f"P1,M{k}\n" for k in range(8)) + "p1,M9\n"
    result = load_cohort([("p.csv", "patient_id,sex,age\nP1,F,40\np1,M,40\n".encode()),
                          ("v.csv", f"patient_id,month\n{rows}".encode())])
    [issue] = _codes(result, "lookalike_id")  # the patients table's ids only
    assert "'P1' (2); 'p1' (3)" in issue.message
    from core.lookalike_ids import _rows_text
    assert _rows_text(list(range(2, 10))) == "2, 3, 4, 5, 6, … (+3)"


# --- a decimal comma under a header ending with a delimiter -----------------------

def test_a_value_under_a_trailing_empty_header_rejects_the_row():
    csv = b"patient_id,sex,age,duration,\nP1,F,40,7,5\nP2,M,50,8,\n"
    result = load_cohort([("p.csv", csv)])
    [issue] = _codes(result, "too_many_cells")
    assert issue.severity == "rejected" and issue.row == 2
    assert result.report.counts["patients"].read == 2 and result.report.counts["patients"].rejected == 1
    assert result.cohort is not None


def test_every_row_wide_under_a_trailing_empty_header_is_an_error():
    result = load_cohort([("p.csv", b"patient_id,sex,age,duration,\nP1,F,40,7,5\nP2,M,50,8,5\n")])
    assert [i.variant for i in _codes(result, "too_many_cells")] == ["all"] and result.cohort is None


def test_trailing_empty_fields_everywhere_stay_harmless():
    result = load_cohort([("p.csv", b"patient_id,sex,age,\nP1,F,40,\nP2,M,50,\n")])
    assert not _codes(result, "too_many_cells") and result.report.counts["patients"].kept == 2


# --- mixed encodings --------------------------------------------------------------

def test_lines_in_two_encodings_are_each_decoded_right_and_noted():
    lines = ["patient_id;sex;age;centre", "P1;F;40;Hôpital Nord", "P2;M;50;Hôpital Nord", "P3;F;30;Hôpital Nord"]
    content = b"\n".join(line.encode("cp1252" if k == 2 else "utf-8") for k, line in enumerate(lines)) + b"\n"
    tables, issues = read_files([("p.csv", content)])
    assert set(tables[0].data[3]) == {"Hôpital Nord"}
    [issue] = [i for i in issues if i.code == "mixed_encoding"]
    assert issue.severity == "warning" and issue.row == 3 and "rows 3" in issue.message
    assert issue.text("fr") != issue.message


def test_a_whole_cp1252_file_is_not_mixed():
    content = "patient_id;centre\nP1;Hôpital\nP2;Créteil\n".encode("cp1252")
    tables, issues = read_files([("p.csv", content)])
    assert list(tables[0].data[1]) == ["Hôpital", "Créteil"] and not issues


# --- ids shown by a number format ---------------------------------------------------

def _book(build) -> bytes:
    """Workbook bytes from ``build(book)``, written in memory with openpyxl."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _padded_ids(book):
    patients = book.create_sheet("patients")
    patients.append(["patient_id", "sex", "age"])
    for number, sex in ((42, "F"), (7, "M")):
        patients.append([number, sex, 40])
    visits = book.create_sheet("visits")
    visits.append(["patient_id", "month", "c3"])
    for pid in ("0042", "0007"):
        visits.append([pid, "M0", 0.9])
    for row in range(2, 4):
        patients.cell(row, 1).number_format = "0000"
        patients.cell(row, 3).number_format = "000"  # any zero-padded number reads as displayed
    visits.cell(2, 3).number_format = "0.00"  # other formats change nothing


def test_numeric_ids_read_as_their_zero_padded_format_shows_them():
    result = load_cohort([("cohort.xlsx", _book(_padded_ids))])
    assert result.cohort is not None and not _codes(result, "unknown_patient") and not _codes(result, "invalid_value")
    assert result.report.counts["visits"].kept == 2
    tables, _ = read_files([("cohort.xlsx", _book(_padded_ids))])
    patients = next(t for t in tables if t.sheet == "patients")
    assert patients.data[0].tolist() == ["0042", "0007"] and patients.data[2].tolist() == ["040", "040"]
    visits = next(t for t in tables if t.sheet == "visits")
    assert visits.data[2].tolist() == [0.9, 0.9]


# --- hidden sheets ------------------------------------------------------------------

def _hidden_sheets(book):
    patients = book.create_sheet("patients")
    for row in (["patient_id", "sex", "age"], ["P1", "F", 40], ["P2", "M", 50]):
        patients.append(row)
    for title, state in (("old", "hidden"), ("older", "veryHidden")):
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in (["patient_id", "sex", "age"], ["P9", "F", 30]):
            sheet.append(row)


def test_hidden_sheets_are_skipped_by_default_and_said_so():
    result = load_cohort([("book.xlsx", _book(_hidden_sheets))])
    issues = _codes(result, "hidden_sheet")
    assert [(i.sheet, i.variant, i.severity) for i in issues] == [("old", "", "warning"), ("older", "", "warning")]
    assert "not read" in issues[0].message and issues[0].text("fr") != issues[0].message
    assert result.report.counts["patients"].read == 2 and result.cohort is not None


def test_hidden_sheets_are_read_when_asked():
    result = load_cohort([("book.xlsx", _book(_hidden_sheets))], read_hidden_sheets=True)
    assert [i.variant for i in _codes(result, "hidden_sheet")] == ["read", "read"]
    # Three patients tables now: the duplicate tables are the user's to sort out, but all were read.
    tables, _ = read_files([("book.xlsx", _book(_hidden_sheets))], read_hidden_sheets=True)
    assert sorted(t.sheet for t in tables) == ["old", "older", "patients"]


def test_validate_reads_hidden_sheets_with_its_flag(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "book.xlsx"
    path.write_bytes(_book(_hidden_sheets))
    root = Path(__file__).resolve().parent.parent
    variants = []
    for flags in ([], ["--hidden-sheets"]):
        done = subprocess.run([sys.executable, "-m", "core", "validate", "--json", str(path), *flags],
                              capture_output=True, text=True, cwd=root, timeout=120)
        report = json.loads(done.stdout)
        variants.append({i["variant"] for i in report["issues"] if i["code"] == "hidden_sheet"})
    assert variants == [{""}, {"read"}]


# --- merged cells -------------------------------------------------------------------

def _merged_centre(book):
    sheet = book.create_sheet("patients")
    sheet.append(["patient_id", "sex", "age", "centre", "note"])
    for k, sex in enumerate("FMF", start=1):
        sheet.append([f"P{k}", sex, 40 + k, "Lille" if k == 1 else None, None])
    sheet.append(["P4", "M", 50, "Paris", "long note"])
    sheet.merge_cells("D2:D4")  # a centre over three patients
    sheet.merge_cells("E5:F5")  # a note across two columns


def test_a_value_merged_over_rows_fills_them_and_is_noted(table_of):
    result = load_cohort([("book.xlsx", _book(_merged_centre))])
    assert table_of(result.cohort, "patients")["centre"].tolist() == ["Lille", "Lille", "Lille", "Paris"]
    issues = _codes(result, "merged_cells")
    assert [(i.variant, i.row, i.column) for i in issues] == [("", 2, "centre"), ("kept", 5, "note")]
    assert "D2:D4" in issues[0].message and "'Lille'" in issues[0].message and "2 to 4" in issues[0].message
    assert "E5:F5" in issues[1].message and issues[1].text("fr") != issues[1].message


def _merged_header(book):
    sheet = book.create_sheet("patients")
    sheet.append(["Cohort 2024"])
    sheet.append(["patient_id", "sex", "age"])
    sheet.append(["P1", "F", 40])
    sheet.merge_cells("A1:C1")  # a title above the table: noted as a title row
    sheet.merge_cells("B2:C2")  # a header over two columns


def test_a_merge_in_the_header_is_reported_and_fills_nothing():
    result = load_cohort([("book.xlsx", _book(_merged_header))])
    assert [(i.variant, i.row) for i in _codes(result, "merged_cells")] == [("kept", 2)]
    assert _codes(result, "title_row_skipped")


def test_a_visit_keyed_by_a_lookalike_of_a_known_id_says_which_patient_it_resembles():
    patients = "patient_id,sex,age\nP1,F,40\nP2,M,50\n".encode()
    visits = "patient_id,month,c3\n\u04201,M0,0.9\n\u04201,M3,1.0\nP2,M0,1.1\nP9,M0,1\n".encode()
    result = load_cohort([("patients.csv", patients), ("visits.csv", visits)])
    assert len(_codes(result, "unknown_patient")) == 3  # still left out: never merged silently
    [issue] = _codes(result, "lookalike_id")
    assert (issue.variant, issue.file, issue.row, issue.column) == ("unknown", "visits.csv", 2, "patient_id")
    assert "U+0420" in issue.message and "'P1'" in issue.message and "rows 2, 3" in issue.message
    assert issue.text("fr") != issue.message


# --- styles and merges as written by hand (no openpyxl) ------------------------------

def test_hand_written_styles_and_merges_are_read():
    from tests.test_corpus import _merged_centre, _padded_ids

    [padded], _ = read_files([("p.xlsx", _padded_ids())])
    assert padded.data[0].tolist() == ["0042"]
    [merged], _ = read_files([("m.xlsx", _merged_centre())])
    assert merged.data[3].tolist() == ["Lille"] * 3


@pytest.mark.parametrize("value, digits, shown", [
    (42, 4, "0042"), (42.0, 4, "0042"), (12345, 4, "12345"), (-7, 3, "-007"), (4.5, 4, 4.5), (True, 4, True),
    ("x", 4, "x"), (None, 4, None)])
def test_padded_number_pads_whole_numbers_only(value, digits, shown):
    from core.sheet_styles import padded_number

    assert padded_number(value, digits) == shown


def test_merged_ranges_ignore_single_cells_and_order_corners():
    from core.sheet_styles import merged_ranges

    xml = b'<mergeCells><mergeCell ref="B2:B4"/><mergeCell ref="C1"/><x:mergeCell ref=\'AA10:AB10\'/></mergeCells>'
    assert merged_ranges(xml) == [(2, 2, 4, 2), (10, 27, 10, 28)]
