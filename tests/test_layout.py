"""Layouts: recognising tables by name or columns, wide and long reshaping, several files."""
from __future__ import annotations

import pandas as pd
import pytest

from core.formats import read_files
from core.layout import classify_tables
from core.loader import load_cohort
from tests.helpers import xlsx_bytes

PATIENTS_CSV = "patient_id,sex,age\nP1,F,40\nP2,M,50\n"
VISITS_CSV = "patient_id,month,cs_dose_mg\nP1,M0,10\nP1,M3,5\nP2,M0,7.5\n"
EVENTS_CSV = "patient_id,month,type\nP1,M2,infection\n"


def _kinds(name: str, text: str) -> list[str]:
    tables, _ = read_files([(name, text.encode())])
    pieces, _ = classify_tables(tables)
    return sorted({p.table for p in pieces})


def _codes(result, severity: str) -> list[str]:
    return [i.code for i in result.report.issues if i.severity == severity]


@pytest.mark.parametrize(
    ("headers", "tables"),
    [
        ("patient_id,sex,age", ["patients"]),
        ("id,month,type", ["events"]),
        ("id,mois,dose_ct", ["visits"]),
        ("id,month,dose_ct,sex,age", ["patients", "visits"]),
        ("id,sex,age,dose_ct_m0,dose_ct_m3", ["patients", "visits"]),
        ("id,sex,Âge M0", ["patients"]),
        ("foo,bar", []),
    ],
)
def test_table_is_recognised_by_its_columns(headers: str, tables: list[str]) -> None:
    row = ",".join("x" for _ in headers.split(","))
    assert _kinds("data.csv", f"{headers}\n{row}\n") == tables


@pytest.mark.parametrize(
    ("file_name", "table"),
    [("patients.csv", "patients"), ("cohort_visits.csv", "visits"), ("Visites.csv", "visits"),
     ("demo_events_fr.csv", "events"), ("evenements_indesirables.csv", "events")],
)
def test_table_is_recognised_by_its_file_name(file_name: str, table: str) -> None:
    # Only a patient id column: the columns alone name no table.
    assert _kinds(file_name, "patient_id,note\nP1,x\n") == [table]


@pytest.mark.parametrize(
    "file_name, text, table",
    [  # a word of the name names a table these columns cannot be: the columns decide
        ("visite_inclusion.csv", "patient_id,sex,age\nP1,F,40\n", "patients"),
        ("baseline_visit.csv", "patient_id,sex,age\nP1,F,40\n", "patients"),
        ("effets_indesirables_patients.csv", "patient_id,month,type\nP1,2,infection\n", "events"),
        ("events_cohort.csv", "patient_id,sex,age\nP1,F,40\n", "patients"),
        # a word the columns do not contradict still decides (no "type": an events
        # table missing a column, reported as such)
        ("cohort_events.csv", "patient_id,month,kind\nP1,2,infection\n", "events"),
        # some patient columns but not a whole patients table: still the named table,
        # whose missing month is then reported
        ("suivi_m3.csv", "patient_id,age,sledai\nP1,40,4\n", "patients+visits"),  # long visits
        ("events_2024.csv", "patient_id,sex,description\nP1,F,zona\n", "events"),
        ("patients_suivi.csv", "patient_id,month,sex\nP1,0,F\n", "patients+visits"),
    ],
)
def test_a_word_of_the_name_gives_way_to_columns_that_contradict_it(file_name: str, text: str, table: str) -> None:
    assert _kinds(file_name, text) == table.split("+")


def test_a_word_named_visits_file_without_month_reports_its_missing_month() -> None:
    result = load_cohort([("patients.csv", b"patient_id,sex,age\nP1,F,40\n"),
                          ("suivi_m3.csv", b"patient_id,age,sledai\nP1,40,4\n")])
    assert [(i.code, i.column) for i in result.report.issues if i.severity == "error"] == [("missing_column", "month")]


def test_workbook_with_one_sheet_per_table_loads_each_table(make_xlsx, table_of) -> None:
    book = make_xlsx({
        "patients": [["patient_id", "sex", "age"], ["P1", "F", 40], ["P2", "M", 50]],
        "visits": [["patient_id", "month", "hcq"], ["P1", 0, True], ["P2", 0, False]],
        "events": [["patient_id", "month", "type"], ["P2", 2, "infection"]],
    })
    result = load_cohort([("cohort.xlsx", book)])
    assert result.report.usable
    assert table_of(result.cohort, "visits")["hcq"].tolist() == [True, False]
    assert table_of(result.cohort, "events")["patient_id"].tolist() == ["P2"]


def test_several_csv_files_load_as_one_cohort(table_of) -> None:
    files = [("patients.csv", PATIENTS_CSV.encode()), ("visits.csv", VISITS_CSV.encode()),
             ("events.csv", EVENTS_CSV.encode())]
    result = load_cohort(files)
    assert {t: c.kept for t, c in result.report.counts.items()} == {"patients": 2, "visits": 3, "events": 1}


def test_several_parquet_files_load_as_one_cohort(make_parquet, table_of) -> None:
    patients = pd.DataFrame({"patient_id": ["P1", "P2"], "sex": ["F", "M"], "age": [40.0, 50.0]})
    visits = pd.DataFrame({"patient_id": ["P1", "P2"], "month": [0, 3], "c3": [0.8, 1.1]})
    result = load_cohort([("patients.parquet", make_parquet(patients)), ("visits.parquet", make_parquet(visits))])
    assert table_of(result.cohort, "visits")[["month", "c3"]].values.tolist() == [[0, 0.8], [3, 1.1]]


FRENCH_WIDE = (
    "N° patient;Sexe;Âge (ans);Dose CT M0;Dose CT M3;Réponse cutanée M3;Réponse cutanée M6\n"
    "P1;F;45;7,5;5;RC;RP\n"
    "P2;H;38;10;ND;;\n"
)


def test_french_wide_csv_gives_one_visit_per_month_with_a_value(table_of) -> None:
    result = load_cohort([("cohorte.csv", FRENCH_WIDE.encode("cp1252"))])
    visits = table_of(result.cohort, "visits")
    assert visits[["patient_id", "month"]].values.tolist() == [["P1", 0], ["P1", 3], ["P1", 6], ["P2", 0]]
    assert visits["cs_dose_mg"].tolist()[:2] == [7.5, 5.0]
    assert visits["cutaneous_response"].tolist()[1:3] == ["CR", "PR"]


def test_wide_visit_count_is_the_patient_months_that_exist() -> None:
    result = load_cohort([("cohorte.csv", FRENCH_WIDE.encode("cp1252"))])
    assert result.report.counts["visits"].read == 4


def test_month_prefix_header_is_read_as_a_wide_column(table_of) -> None:
    result = load_cohort([("c.csv", b"id,sex,age,M3 HCQ\nP1,F,40,oui\n")])
    assert table_of(result.cohort, "visits")[["month", "hcq"]].values.tolist() == [[3, True]]


def test_negative_ifn_sign_alone_makes_a_wide_visit(table_of) -> None:
    result = load_cohort([("c.csv", b"id,sex,age,signature_ifn_m6\nP1,F,40,-\n")])
    assert table_of(result.cohort, "visits")[["month", "ifn_signature"]].values.tolist() == [[6, "negative"]]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u3000"])
def test_signs_apart_in_a_wide_ifn_cell_are_reported_and_make_no_visit_alone(space: str, table_of) -> None:
    # "+ +" with a space Python knows but a regular expression over Arrow text may not:
    # reported unreadable, never dropped silently; reading as no status, it makes no
    # visit on its own (as any cell of marks that is no value).
    text = f"id,sex,age,signature_ifn_m0,signature_ifn_m6\nP1,F,40,+,+{space}+\n"
    result = load_cohort([("c.csv", text.encode())])
    assert table_of(result.cohort, "visits")["month"].tolist() == [0]
    assert [(i.code, i.row, i.column) for i in result.report.issues if i.severity == "warning"] == [
        ("invalid_value", 2, "signature_ifn_m6")]


def test_exact_alias_wins_over_month_suffix(table_of) -> None:
    result = load_cohort([("c.csv", b"id,sex,age_m0\nP1,F,40\n")])
    assert table_of(result.cohort, "patients")["age"].tolist() == [40.0]
    assert "visits" not in result.cohort.tables_present


def test_long_visits_table_with_patient_columns_gives_the_patients(table_of) -> None:
    text = "patient_id,sex,age,month,hcq\nP1,F,40,M0,oui\nP1,F,40,M3,non\nP2,M,50,M0,oui\n"
    result = load_cohort([("suivi.csv", text.encode())])
    assert table_of(result.cohort, "patients")[["patient_id", "sex", "age"]].values.tolist() == [
        ["P1", "F", 40.0], ["P2", "M", 50.0]]
    assert result.report.counts["visits"].kept == 3


def test_long_layout_fills_a_patient_blank_from_their_other_rows(table_of) -> None:
    text = "patient_id,sex,age,month\nP1,F,40,M0\nP1,,,M3\n"
    result = load_cohort([("suivi.csv", text.encode())])
    assert table_of(result.cohort, "patients")[["sex", "age"]].values.tolist() == [["F", 40.0]]


def test_wide_file_and_events_file_load_together(table_of) -> None:
    events = "N° patient;Mois;Type\nP2;M2;infection\n".encode("cp1252")
    result = load_cohort([("cohorte.csv", FRENCH_WIDE.encode("cp1252")), ("evenements.csv", events)])
    assert table_of(result.cohort, "events")[["patient_id", "month"]].values.tolist() == [["P2", 2.0]]


def test_wide_and_long_layouts_of_one_cohort_give_identical_tables(table_of) -> None:
    wide = ("id;sexe;age;dose_ct_m0;hcq_m0;dose_ct_m3;hcq_m3;c3_m3\n"
            "P1;F;40;10;oui;5;non;0,8\n"
            "P2;M;50;7,5;non;;;\n"
            "P3;F;30;;;2,5;oui;ND\n")
    long = ("patient_id,sex,age,month,cs_dose_mg,hcq,c3\n"
            "P1,F,40,0,10,yes,\nP1,F,40,3,5,no,0.8\n"
            "P2,M,50,0,7.5,no,\n"
            "P3,F,30,3,2.5,yes,\n")
    from_wide = load_cohort([("wide.csv", wide.encode())]).cohort
    from_long = load_cohort([("long.csv", long.encode())]).cohort
    for table in ("patients", "visits"):
        pd.testing.assert_frame_equal(table_of(from_wide, table), table_of(from_long, table))


def test_unknown_header_is_kept_as_an_extra_column_and_noted_once(table_of) -> None:
    result = load_cohort([("patients.csv", b"id,sex,age,Remarque libre\nP1,F,40,x\nP2,M,50,y\n")])
    notes = [i for i in result.report.issues if i.code == "unknown_column"]
    assert [(n.severity, n.row, n.column) for n in notes] == [("warning", None, "Remarque libre")]
    assert table_of(result.cohort, "patients")["remarque_libre"].tolist() == ["x", "y"]


def test_sheet_with_no_table_is_an_ignored_warning_when_another_is_usable(make_xlsx) -> None:
    book = make_xlsx({"patients": [["id", "sex", "age"], ["P1", "F", 40]], "Notes": [["commentaire"], ["RAS"]]})
    result = load_cohort([("c.xlsx", book)])
    issue = next(i for i in result.report.issues if i.code == "unrecognised_table")
    assert (issue.severity, issue.sheet, result.report.usable) == ("warning", "Notes", True)


def test_upload_with_no_recognisable_table_is_an_error() -> None:
    result = load_cohort([("notes.csv", b"commentaire,date\nRAS,2024\n")])
    assert _codes(result, "error") == ["no_table"]
    assert result.cohort is None


def test_same_table_given_twice_is_an_error_naming_both() -> None:
    result = load_cohort([("patients.csv", PATIENTS_CSV.encode()), ("patients_2.csv", PATIENTS_CSV.encode())])
    issue = next(i for i in result.report.issues if i.code == "duplicate_table")
    assert issue.severity == "error"
    assert "patients.csv" in issue.message and "patients_2.csv" in issue.message


def test_two_headers_naming_one_column_is_an_error() -> None:
    result = load_cohort([("patients.csv", b"id,sexe,gender,age\nP1,F,F,40\n")])
    issue = next(i for i in result.report.issues if i.code == "duplicate_column")
    assert (issue.severity, issue.row, issue.column) == ("error", None, "gender")


def test_visits_repeating_patient_columns_beside_a_patients_file_keep_them_as_extras(table_of) -> None:
    visits = "patient_id,month,centre\nP1,M0,Lille\nP2,M0,Lille\n"
    result = load_cohort([("patients.csv", PATIENTS_CSV.encode()), ("visits.csv", visits.encode())])
    assert _codes(result, "error") == []
    assert table_of(result.cohort, "visits")["centre"].tolist() == ["Lille", "Lille"]


def test_header_only_events_sheet_is_an_empty_events_table(make_xlsx) -> None:
    book = make_xlsx({"patients": [["id", "sex", "age"], ["P1", "F", 40]], "events": [["id", "month", "type"]]})
    result = load_cohort([("c.xlsx", book)])
    assert result.report.usable
    assert result.report.counts["events"].read == 0


@pytest.mark.parametrize(("kind", "cells"), [
    ("bool", ["oui", "non", "", "ND", "peut-être", "oui"]),
    ("number", ["7,5", "10 mg", "", "dix", "7,5"]),
    ("ifn", ["+", "-", "ND", "positif", "?"]),
    ("month", ["M0", "M3", "3", "Mx", "M0"]),
    ("text", ["P1", None, " P2 ", "P1", pd.NA]),
    # Typed columns (Parquet): numbers, flags and missing cells of every kind.
    ("number", [7.5, None, 10, float("nan"), 7.5, -1.0]),
    ("integer", [3.0, 2.5, None, 3, 1e300]),
    ("bool", [True, None, False, True]),
    ("text", [42.0, None, 42.5, 42]),
    ("sex", [None, None]),
])
def test_parsing_distinct_cells_once_matches_parsing_every_cell(kind: str, cells: list[str]) -> None:
    from core.distinct import parse_cells
    from core.values import parse_column

    series = pd.Series(cells * 3, index=range(10, 10 + 3 * len(cells)), dtype=object)
    fast, plain = parse_cells(series, kind), parse_column(series, kind)
    pd.testing.assert_series_equal(fast.values, plain.values)
    pd.testing.assert_series_equal(fast.invalid, plain.invalid)


@pytest.mark.parametrize("kind", ["text", "sex", "number", "integer", "bool", "response", "ifn", "month",
                                  "event_month", "event_type"])
def test_arrow_text_parsed_once_per_distinct_cell_matches_parsing_every_cell(kind: str) -> None:
    from core.distinct import parse_cells
    from core.values import parse_column

    cells = ["oui", None, "PR", " F ", "M3", None, "7,5", "-", "ND", "oui", "", "infection"]
    for order in (cells, cells[::-1], [c for c in cells if c is not None]):
        series = pd.Series(pd.arrays.ArrowStringArray._from_sequence(order * 2), index=range(3, 3 + 2 * len(order)))
        fast, plain = parse_cells(series, kind), parse_column(series, kind)
        pd.testing.assert_series_equal(fast.values, plain.values, check_names=False)
        pd.testing.assert_series_equal(fast.invalid, plain.invalid, check_names=False)


@pytest.mark.parametrize("dtype", ["string", "large_string[pyarrow]"])
def test_ids_read_whole_match_ids_read_once_per_distinct_cell(dtype: str, monkeypatch) -> None:
    import core.distinct
    from core.distinct import parse_cells

    # A registry's ids, most distinct, among blanks, markers, summary words and notes.
    cells = [f"P{i:05d}" for i in range(3000)] + ["", " ", "ND", "n/a", " P7 ", "Total", "P-12", "N° 3", None]
    series = pd.Series(cells * 2, index=range(5, 5 + 2 * len(cells)), dtype=dtype)
    assert core.distinct._mostly_distinct(series)
    whole = parse_cells(series, "text")
    monkeypatch.setattr(core.distinct, "_mostly_distinct", lambda series: False)
    once = parse_cells(series, "text")
    for got, expected in ((whole.values, once.values), (whole.invalid, once.invalid)):
        pd.testing.assert_series_equal(got, expected)
        assert got.name == expected.name


@pytest.mark.parametrize(("text", "column"), [
    ("id,sex,age,mois,C3 (g/L)\nP1,F,40,M0,0.8\n", "c3"),
    ("id,sex,age,Dose CT M0 (mg/j)\nP1,F,40,0.8\n", "cs_dose_mg"),
    ("id,sex,age,Dose CT (mg/j) M0\nP1,F,40,0.8\n", "cs_dose_mg"),
    ("id,sex,age,Test de Farr (UI/mL) M0\nP1,F,40,0.8\n", "anti_dsdna"),
])
def test_header_with_its_unit_names_the_column(text: str, column: str, table_of) -> None:
    result = load_cohort([("c.csv", text.encode())])
    assert table_of(result.cohort, "visits")[column].tolist() == [0.8]


def test_header_with_a_unit_that_changes_the_value_stays_unknown() -> None:
    result = load_cohort([("c.csv", b"id,sex,age,mois,C3 (mg/dL)\nP1,F,40,M0,80\n")])
    assert [i.column for i in result.report.issues if i.code == "unknown_column"] == ["C3 (mg/dL)"]


def test_unnamed_empty_column_is_spreadsheet_padding() -> None:
    result = load_cohort([("patients.csv", b"id,sex,age,\nP1,F,40,\n")])
    assert result.report.issues == []


def test_unnamed_column_with_data_is_kept_and_noted(table_of) -> None:
    # Between named columns; a value under a CSV header's trailing empty field is a
    # shifted row instead (too_many_cells).
    result = load_cohort([("patients.csv", b"id,sex,,age\nP1,F,vu,40\n")])
    assert [(i.code, i.column) for i in result.report.issues] == [("unknown_column", "")]
    assert table_of(result.cohort, "patients")["column_3"].tolist() == ["vu"]


def test_out_of_range_month_header_is_one_header_warning_at_the_header_row() -> None:
    result = load_cohort([("c.csv", b"id,sex,age,dose_ct_m0,cs_dose_mg_m999\nP1,F,40,10,5\nP2,M,50,8,4\n")])
    assert [(i.severity, i.code, i.row, i.column, dict(i.params)["month"]) for i in result.report.issues] == [
        ("warning", "bad_month_header", 1, "cs_dose_mg_m999", 999)]


def test_out_of_range_month_column_is_kept_as_an_extra_and_makes_no_visit(table_of) -> None:
    result = load_cohort([("c.csv", b"id,sex,age,dose_ct_m0,cs_dose_mg_m999\nP1,F,40,10,5\n")])
    assert table_of(result.cohort, "patients")["cs_dose_mg_m999"].tolist() == ["5"]
    assert table_of(result.cohort, "visits")["month"].tolist() == [0]


def test_out_of_range_month_alone_leaves_a_patients_table() -> None:
    result = load_cohort([("c.csv", b"id,sex,age,hcq_m700\nP1,F,40,oui\n")])
    assert result.cohort.tables_present == frozenset({"patients"})
    assert [i.code for i in result.report.issues] == ["bad_month_header"]


@pytest.mark.parametrize(("header", "column"), [
    ("Atteinte cutanée M0", "cutaneous"),
    ("Atteinte articulaire M0", "articular"),
    ("M0 Atteinte cutanée", "cutaneous"),
    ("Critères ACR/EULAR 2019 M0", "acr_eular_2019"),
])
def test_patient_column_marked_m0_names_that_column(header: str, column: str, table_of) -> None:
    text = f"id;sexe;Âge M0;{header};Dose CT M0\nP1;F;40;oui;10\n"
    result = load_cohort([("cohorte.csv", text.encode())])
    assert result.report.issues == []
    assert table_of(result.cohort, "patients")[column].tolist() == [True]


def test_patient_column_marked_with_another_month_stays_unknown() -> None:
    result = load_cohort([("c.csv", "id,sex,age,Atteinte cutanée M3\nP1,F,40,oui\n".encode())])
    assert [(i.code, i.column) for i in result.report.issues] == [("unknown_column", "Atteinte cutanée M3")]
    assert "cutaneous" not in result.cohort.columns_present["patients"]


def test_an_unnamed_column_is_reported_by_its_spreadsheet_column() -> None:
    """A remark in column H, G empty: the report says column 8, as the sheet shows it."""

    rows = [["id", "sex", "age", "", "", "", "", ""], ["P1", "F", 30, None, None, None, None, "vu"]]
    result = load_cohort([("c.xlsx", xlsx_bytes({"patients": rows}))])
    [issue] = [i for i in result.report.issues if i.code == "unknown_column"]
    assert dict(issue.params)["position"] == 8


def test_a_mark_in_a_wide_cell_is_reported_and_makes_no_visit_alone(table_of) -> None:
    # "-" is not one of the contract's missing markers: reported as unreadable, never
    # dropped without a word; but alone it makes no visit (a "-" for a visit not done
    # would add the visit and its months of follow-up). Beside a value it is that visit's.
    text = "id;sex;age;dose_ct_m0;dose_ct_m6;hcq_m6\nP1;F;40;5;-;\nP2;F;40;5;ND;\nP3;F;40;5;-;oui\n"
    result = load_cohort([("c.csv", text.encode())])
    visits = table_of(result.cohort, "visits")[["patient_id", "month"]].values.tolist()
    assert visits == [["P1", 0], ["P2", 0], ["P3", 0], ["P3", 6]]
    issues = sorted((i.code, i.row, i.column, i.value) for i in result.report.issues)
    assert issues == [("invalid_value", 2, "dose_ct_m6", "-"), ("invalid_value", 4, "dose_ct_m6", "-")]
    # An IFN sign is a value: it makes its visit.
    signs = "id;sex;age;dose_ct_m0;ifn_signature_m6\nP1;F;40;5;-\n"
    assert table_of(load_cohort([("c.csv", signs.encode())]).cohort, "visits")["month"].tolist() == [0, 6]


def test_a_summary_sheet_beside_the_patients_is_ignored_with_a_warning() -> None:
    # A pivot table of patients per centre has a patient column (centre) and no id:
    # a summary beside the data, not the patients table given twice.

    book = xlsx_bytes({"patients": [["patient_id", "sex", "age", "centre"], ["P1", "F", 40, "CHU Lille"]],
                       "TCD": [["Centre", "Nombre de patient_id"], ["CHU Lille", 1], ["Total général", 1]]})
    result = load_cohort([("cohorte.xlsx", book)])
    assert result.report.usable and result.report.counts["patients"].kept == 1
    issue = next(i for i in result.report.issues if i.code == "unrecognised_table")
    assert (issue.severity, issue.sheet, issue.variant) == ("warning", "TCD", "no_id")
    assert "\u202f" in issue.text("fr") and "TCD" in issue.text("en")


def test_a_summary_file_beside_the_patients_file_is_ignored_with_a_warning() -> None:
    files = [("patients.csv", b"patient_id,sex,age\nP1,F,40\n"), ("par_centre.csv", b"centre,n\nLille,1\n")]
    result = load_cohort(files)
    assert result.report.usable
    assert [(i.code, i.file, i.variant) for i in result.report.issues] == [
        ("unrecognised_table", "par_centre.csv", "file_no_id")]


def test_the_only_patients_sheet_without_an_id_still_says_the_column_is_missing() -> None:
    result = load_cohort([("c.csv", b"centre,sex,age\nLille,F,40\n")])
    assert [(i.code, i.column) for i in result.report.issues if i.severity == "error"] == [("missing_column", "patient_id")]


def test_headers_under_a_row_of_group_labels_are_read(table_of) -> None:
    # A row of merged group labels ("Corticoïdes" over C:D) above the headers: the
    # headers are read from row 2, the group row is said, and no column goes unread.
    visits = [[None, None, "Corticoïdes", None, "Biologie", None],
              ["patient_id", "month", "cs_dose_mg", "cs_drug", "c3", "c4"],
              ["P1", "M0", 10, "prednisone", 0.8, 0.2], ["P1", "M3", 5, "prednisone", 1.0, 0.2]]
    book = xlsx_bytes({"patients": [["patient_id", "sex", "age"], ["P1", "F", 40]], "visits": visits},
                        {"visits": ["C1:D1", "E1:F1"]})
    result = load_cohort([("cohorte.xlsx", book)])
    assert result.report.usable
    assert table_of(result.cohort, "visits")[["month", "cs_dose_mg", "c3"]].values.tolist() == [[0, 10.0, 0.8], [3, 5.0, 1.0]]
    skipped = [(i.code, i.sheet, i.row, i.value) for i in result.report.issues if i.code == "title_row_skipped"]
    assert skipped == [("title_row_skipped", "visits", 1, "Corticoïdes")]
    assert [i.code for i in result.report.issues if i.code == "unknown_column"] == []


def test_a_wide_sheets_month_group_labels_name_the_visits(table_of) -> None:
    # "M0" and "M3" merged over the visit columns, "Dose CT" and "C3" under each: the
    # same as "Dose CT M0", "C3 M0", "Dose CT M3", "C3 M3".
    rows = [[None, None, None, "M0", None, "M3", None],
            ["N° patient", "Sexe", "Âge", "Dose CT", "C3", "Dose CT", "C3"],
            ["P1", "F", 40, 10, 0.8, 5, 1.0], ["P2", "H", 50, 7.5, 0.7, None, None]]
    book = xlsx_bytes({"Feuil1": rows}, {"Feuil1": ["D1:E1", "F1:G1"]})
    result = load_cohort([("cohorte.xlsx", book)])
    assert result.report.usable
    visits = table_of(result.cohort, "visits")
    assert visits[["patient_id", "month", "cs_dose_mg", "c3"]].values.tolist() == [
        ["P1", 0, 10.0, 0.8], ["P1", 3, 5.0, 1.0], ["P2", 0, 7.5, 0.7]]


def test_a_wide_csvs_month_group_labels_name_the_visits(table_of) -> None:
    text = ";;;M0;;Mois 3;\nN° patient;Sexe;Âge;Dose CT;C3;Dose CT;C3\nP1;F;40;10;0,8;5;1\n"
    result = load_cohort([("cohorte.csv", text.encode("cp1252"))])
    assert result.report.usable
    assert table_of(result.cohort, "visits")[["month", "cs_dose_mg", "c3"]].values.tolist() == [[0, 10.0, 0.8], [3, 5.0, 1.0]]


def test_a_row_of_month_labels_is_said_as_such() -> None:
    text = ";;;M0;;M3;\nN° patient;Sexe;Âge;Dose CT;C3;Dose CT;C3\nP1;F;40;10;0,8;5;1\n"
    result = load_cohort([("cohorte.csv", text.encode("cp1252"))])
    issue = next(i for i in result.report.issues if i.code == "title_row_skipped")
    assert (issue.variant, issue.row, issue.value) == ("months", 1, "M0")
    assert "'Dose CT M3'" in issue.text("en") and "\u202fDose CT M3\u202f" in issue.text("fr")


def test_a_header_naming_its_month_keeps_it_under_a_month_label(table_of) -> None:
    # "Dose CT M0" under "M0" became "Dose CT M0 M0", an unknown column: the dose was lost;
    # so was a patient column marked M0 ("Atteinte cutanée M0"), and an extra column was
    # reported by a header the file does not have ("SLEDAI M0 M0").
    text = (";;;M0;;;;M3;\nN° patient;Sexe;Âge;Dose CT M0;C3;Atteinte cutanée M0;SLEDAI M0;Dose CT M3;C3\n"
            "P1;F;40;10;0,8;oui;4;5;1\n")
    result = load_cohort([("cohorte.csv", text.encode("cp1252"))])
    assert [i.column for i in result.report.issues if i.code == "unknown_column"] == ["SLEDAI M0"]
    assert table_of(result.cohort, "visits")[["month", "cs_dose_mg", "c3"]].values.tolist() == [[0, 10.0, 0.8], [3, 5.0, 1.0]]
    assert table_of(result.cohort, "patients")["cutaneous"].tolist() == [True]


def test_a_mark_alone_in_an_ifn_column_makes_no_visit_unless_it_is_a_sign(table_of) -> None:
    # "/" or "—" reads as no IFN status: reported, and no M6 visit from it alone.
    text = "id;sex;age;dose_ct_m0;ifn_signature_m6\nP1;F;40;5;/\nP2;F;40;5;\u2014\nP3;F;40;5;-\n"
    result = load_cohort([("c.csv", text.encode())])
    assert table_of(result.cohort, "visits")[["patient_id", "month"]].values.tolist() == [
        ["P1", 0], ["P2", 0], ["P3", 0], ["P3", 6]]
    assert sorted((i.code, i.row, i.value) for i in result.report.issues) == [
        ("invalid_value", 2, "/"), ("invalid_value", 3, "\u2014")]
