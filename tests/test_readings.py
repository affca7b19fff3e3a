"""How each uploaded column was read (core.readings): fields with their month, extra
columns as filters or not, unused columns, and why."""
from __future__ import annotations

import pandas as pd
import pytest

from core.demo import load_demo
from core.filters import extra_filter_reasons, filter_options
from core.formats import read_files
from core.loader import load_cohort
from core.readings import EXTRA, FIELD, FILTER, UNUSED, ColumnReading

# A French wide export: two patient columns, two visit columns named with their month,
# an extra column every value of which two patients hold (a filter), a comment column
# whose values single out patients (not a filter), and a month out of range.
WIDE_FR = (
    "N° patient;Sexe;Âge (ans);Réponse cutanée M6;Dose CT M3;Groupe;Commentaire;Dose CT M999\n"
    "P1;F;40;RC;5;A;x;1\n"
    "P2;M;50;NR;10;A;y;1\n"
    "P3;F;30;RP;;B;z;2\n"
    "P4;F;33;RP;;B;w;2\n"
)
PATIENTS = "patient_id,sex,age\nP1,F,40\nP2,M,50\n"


def _readings(files: list[tuple[str, str | bytes]]) -> dict[tuple[str, str], ColumnReading]:
    """The readings of an upload by (file, header as written)."""
    result = load_cohort([(name, data.encode() if isinstance(data, str) else data) for name, data in files])
    return {(r.file, r.header): r for r in result.report.columns}


def _wide() -> dict[tuple[str, str], ColumnReading]:
    return _readings([("cohort.csv", WIDE_FR)])


def test_wide_french_header_is_read_as_the_visit_field_of_its_month():
    reading = _wide()["cohort.csv", "Réponse cutanée M6"]
    assert (reading.status, reading.field, reading.month, reading.table, reading.reason) == (
        FIELD, "cutaneous_response", 6, "visits", None)


def test_wide_french_header_reads_in_french_with_its_month():
    assert _wide()["cohort.csv", "Réponse cutanée M6"].text("fr") == "Lue comme Réponse cutanée, M6 (visites)"


def test_patient_column_of_a_wide_sheet_has_no_month():
    reading = _wide()["cohort.csv", "Âge (ans)"]
    assert (reading.status, reading.field, reading.month, reading.table) == (FIELD, "age", None, "patients")


def test_extra_column_held_by_two_patients_per_value_is_offered_as_a_filter():
    reading = _wide()["cohort.csv", "Groupe"]
    assert (reading.status, reading.table, reading.reason) == (FILTER, "patients", None)
    assert reading.reason_text("en") == ""


def test_extra_column_singling_out_patients_is_not_a_filter_and_says_why():
    reading = _wide()["cohort.csv", "Commentaire"]
    assert (reading.status, reading.reason) == (EXTRA, "rare_value")
    assert "2 patients" in reading.text("en")


def test_month_out_of_range_is_named_as_the_reason_of_an_extra_column():
    reading = _wide()["cohort.csv", "Dose CT M999"]
    assert (reading.field, reading.month, reading.reason) == (None, None, "bad_month_header")
    assert reading.status in (FILTER, EXTRA)


@pytest.mark.parametrize(("values", "reason"), [
    (["A"] * 4, "too_few_values"),
    ([""] * 4, "too_few_values"),
    ([f"v{k // 2}" for k in range(42)], "too_many_values"),
    ([f"v{k // 2}" for k in range(40)], None),
    (["A", "A", "B", "C"], "rare_value"),
])
def test_filter_rule_for_an_extra_column(values, reason):
    rows = "\n".join(f"P{k},F,40,{v}" for k, v in enumerate(values))
    reading = _readings([("patients.csv", f"patient_id,sex,age,extra\n{rows}\n")])["patients.csv", "extra"]
    assert (reading.status, reading.reason) == (FILTER if reason is None else EXTRA, reason)


def test_filter_verdicts_agree_with_the_filters_offered():
    rows = "\n".join(f"P{k},F,40,{'AB'[k % 2]},{k},{'CD'[k // 3]},same" for k in range(6))
    result = load_cohort([("patients.csv", f"patient_id,sex,age,arm,record,ward,const\n{rows}\n".encode())])
    reasons = extra_filter_reasons(result.cohort)
    offered = {name for name, _ in filter_options(result.cohort).extra}
    assert offered == {name for name, why in reasons.items() if why is None} == {"arm", "ward"}
    assert (reasons["record"], reasons["const"]) == ("rare_value", "too_few_values")


def test_sheet_not_recognised_as_a_table_is_not_used():
    readings = _readings([("cohort.csv", WIDE_FR), ("notes.csv", "foo,bar\n1,2\n")])
    assert [(r.status, r.reason, r.table) for k, r in readings.items() if k[0] == "notes.csv"] == [
        (UNUSED, "unrecognised_table", None)] * 2


def test_second_column_of_one_field_is_not_used():
    result = load_cohort([("patients.csv", "patient_id,sex,age,Âge\nP1,F,40,41\n".encode())])
    second = result.report.columns[-1]
    assert (second.header, second.status, second.field, second.reason) == ("Âge", UNUSED, "age", "duplicate_column")
    assert result.report.columns[2].status == FIELD


def test_extra_columns_of_an_unusable_cohort_are_not_filters():
    readings = _readings([("patients.csv", "patient_id,sex,age,arm\nP1,F,40,A\nP1,F,40,A\nP2,F,41,B\n")])
    assert (readings["patients.csv", "arm"].status, readings["patients.csv", "arm"].reason) == (
        EXTRA, "cohort_unusable")


def test_extra_column_of_the_visits_table_is_not_a_filter():
    readings = _readings([("patients.csv", PATIENTS),
                          ("visits.csv", "patient_id,month,cs_dose_mg,arm,Sexe\nP1,0,5,A,F\nP2,0,5,A,M\n")])
    assert (readings["visits.csv", "arm"].status, readings["visits.csv", "arm"].reason) == (
        EXTRA, "not_patient_table")
    assert readings["visits.csv", "Sexe"].reason == "patient_column_elsewhere"


def test_long_visit_column_has_no_month_and_the_month_column_is_a_field():
    readings = _readings([("patients.csv", PATIENTS), ("visits.csv", "patient_id,mois,dose_ct\nP1,M3,5\n")])
    assert [(r.field, r.month, r.table) for k, r in readings.items() if k[0] == "visits.csv"] == [
        ("patient_id", None, "visits"), ("month", None, "visits"), ("cs_dose_mg", None, "visits")]


def test_table_without_its_key_column_is_not_used():
    readings = _readings([("patients.csv", PATIENTS), ("visits.csv", "patient_id,cs_dose_mg\nP1,5\n")])
    reading = readings["visits.csv", "cs_dose_mg"]
    assert (reading.status, reading.field, reading.reason) == (UNUSED, "cs_dose_mg", "missing_key_column")


def test_wide_visit_columns_without_a_patient_id_are_not_used():
    readings = _readings([("cohort.csv", "Sexe;Âge;Dose CT M3\nF;40;5\n")])
    assert readings["cohort.csv", "Dose CT M3"].reason == "no_patient_id"
    assert readings["cohort.csv", "Sexe"].reason == "missing_key_column"


def test_unnamed_empty_parquet_column_is_not_used(make_parquet):
    frame = pd.DataFrame({"patient_id": ["P1"], "sex": ["F"], "age": [40], "": pd.Series([None], dtype=object)})
    reading = _readings([("patients.parquet", make_parquet(frame))])["patients.parquet", ""]
    assert (reading.status, reading.reason) == (UNUSED, "empty_column")


def test_workbook_readings_name_their_sheet(make_xlsx):
    book = make_xlsx({"Patients": [["patient_id", "sex", "age"], ["P1", "F", 40]],
                      "Visites": [["patient_id", "mois", "c3"], ["P1", 0, 0.8]]})
    readings = load_cohort([("cohort.xlsx", book)]).report.columns
    assert [(r.sheet, r.header, r.table) for r in readings] == [
        ("Patients", "patient_id", "patients"), ("Patients", "sex", "patients"), ("Patients", "age", "patients"),
        ("Visites", "patient_id", "visits"), ("Visites", "mois", "visits"), ("Visites", "c3", "visits")]


@pytest.mark.parametrize("layout", ["fr", "en"])
def test_every_demo_column_is_read_once_as_a_field(layout):
    from core.demo import DEMO_FILES

    tables, _ = read_files([(p.name, p.read_bytes()) for p in DEMO_FILES[layout]])
    readings = load_demo(layout).report.columns
    assert [(r.file, r.sheet, r.header) for r in readings] == [
        (raw.file, raw.sheet, h) for raw in tables for h in raw.headers]
    assert {r.status for r in readings} == {FIELD}


def test_demo_wide_layout_reads_every_visit_month():
    months = {r.month for r in load_demo("fr").report.columns if r.table == "visits"}
    assert months == {0, 3, 6}


def test_every_reading_has_a_sentence_in_both_languages():
    readings = [*_wide().values(), *_readings([("notes.csv", "foo\n1\n"), ("patients.csv", PATIENTS)]).values()]
    for reading in readings:
        assert reading.text("fr") != reading.text("en")


def test_json_reading_carries_codes_and_the_sentence():
    reading = _wide()["cohort.csv", "Réponse cutanée M6"]
    assert reading.to_dict("fr") == {
        "file": "cohort.csv", "sheet": None, "header": "Réponse cutanée M6", "status": "field",
        "field": "cutaneous_response", "month": 6, "table": "visits", "reason": None,
        "message": "Lue comme Réponse cutanée, M6 (visites)"}


def test_unknown_status_or_reason_is_a_programming_error():
    with pytest.raises(ValueError):
        ColumnReading("f.csv", None, "x", "maybe")
    with pytest.raises(ValueError):
        ColumnReading("f.csv", None, "x", UNUSED, reason="because")
