"""Validation: every error, rejected row and warning, located by row and column; counts add up."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.loader import load_cohort

PATIENTS = "patient_id,sex,age\nP1,F,40\nP2,M,50\n"


def _load(*files: tuple[str, str]):
    return load_cohort([(name, text.encode()) for name, text in files])


def _found(result, code: str) -> list[tuple]:
    return [(i.severity, i.row, i.column) for i in result.report.issues if i.code == code]


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        ("patients.csv", "patient_id,age\nP1,40\n", "sex"),
        ("patients.csv", "patient_id,sex\nP1,F\n", "age"),
        ("patients.csv", "sex,age\nF,40\n", "patient_id"),
        ("visits.csv", "patient_id,hcq\nP1,oui\n", "month"),
        ("events.csv", "patient_id,month\nP1,2\n", "type"),
    ],
)
def test_missing_required_column_is_an_error(name: str, text: str, column: str) -> None:
    files = [(name, text)] if name == "patients.csv" else [("patients.csv", PATIENTS), (name, text)]
    result = _load(*files)
    assert _found(result, "missing_column") == [("error", None, column)]
    assert result.cohort is None


def test_visits_without_patients_table_is_an_error() -> None:
    result = _load(("visits.csv", "patient_id,month\nP1,M0\n"))
    assert _found(result, "missing_table") == [("error", None, None)]


def test_header_only_patients_table_beside_visits_is_an_error() -> None:
    result = _load(("patients.csv", "patient_id,sex,age\n"), ("visits.csv", "patient_id,month\nP1,M0\nP1,M3\n"))
    assert _found(result, "missing_table") == [("error", None, None)]
    [issue] = [i for i in result.report.issues if i.code == "missing_table"]
    assert (issue.variant, issue.file) == ("empty", "patients.csv")
    assert (result.report.usable, result.cohort) == (False, None)


def test_patients_table_whose_every_row_is_rejected_is_an_error() -> None:
    result = _load(("patients.csv", "patient_id,sex,age\n,F,40\n,M,50\n"), ("visits.csv", "patient_id,month\nP1,M0\n"))
    assert _found(result, "missing_table") == [("error", None, None)]
    assert result.cohort is None


def test_duplicate_patient_lists_each_of_its_rows() -> None:
    result = _load(("patients.csv", "patient_id,sex,age\nP1,F,40\nP2,M,50\nP1,F,41\n"))
    assert _found(result, "duplicate_patient") == [("error", 2, "patient_id"), ("error", 4, "patient_id")]
    assert result.cohort is None


def test_conflicting_patient_values_in_long_layout_name_the_rows() -> None:
    text = "N° patient,Sexe,age,mois\nP1,F,40,M0\nP1,M,40,M3\nP2,M,50,M0\n"
    result = _load(("suivi.csv", text))
    issue = next(i for i in result.report.issues if i.code == "conflicting_patient_values")
    assert (issue.severity, issue.row, issue.column, issue.value) == ("error", 3, "Sexe", "M")
    assert "2 (F)" in issue.message and "3 (M)" in issue.message


def test_conflicting_ages_are_quoted_as_written() -> None:
    text = "N° patient;Sexe;âge;mois\nP1;F;29;M0\nP1;F;99;M3\nP2;M;50,5;M0\nP2;M;51;M3\n"
    issues = [i for i in _load(("suivi.csv", text)).report.issues if i.code == "conflicting_patient_values"]
    assert [(i.row, i.value) for i in issues] == [(3, "99"), (5, "51")]
    assert "2 (29), 3 (99)" in issues[0].message and "4 (50.5), 5 (51)" in issues[1].message


@pytest.mark.parametrize(
    ("table", "text", "row", "column"),
    [
        ("visits.csv", "patient_id,month\nP1,M0\nP9,M0\n", 3, "patient_id"),
        ("events.csv", "id,mois,type\nP9,2,infection\nP1,2,infection\n", 2, "id"),
    ],
)
def test_row_of_unknown_patient_is_rejected(table: str, text: str, row: int, column: str) -> None:
    result = _load(("patients.csv", PATIENTS), (table, text))
    assert _found(result, "unknown_patient") == [("rejected", row, column)]
    assert result.report.usable


def test_second_visit_at_the_same_month_rejects_the_later_row() -> None:
    result = _load(("patients.csv", PATIENTS), ("visits.csv", "patient_id,Mois,hcq\nP1,M3,oui\nP1,3,non\n"))
    assert _found(result, "duplicate_visit") == [("rejected", 3, "Mois")]
    assert result.cohort.con.table("visits").df()["hcq"].tolist() == [True]


@pytest.mark.parametrize(
    ("table", "text", "row", "column", "value"),
    [
        ("patients.csv", "patient_id,sex,age\n,F,40\nP1,F,40\nP2,M,50\n", 2, "patient_id", ""),
        ("visits.csv", "patient_id,month\nP1,M0\nP1,\n", 3, "month", ""),
        ("visits.csv", "patient_id,month\nP1,Mx\n", 2, "month", "Mx"),
        ("visits.csv", "patient_id,month\nP1,M-3\n", 2, "month", "M-3"),
        ("visits.csv", "patient_id,month\nND,M0\n", 2, "patient_id", "ND"),
        ("events.csv", "patient_id,month,type\nP1,2,\n", 2, "type", ""),
        ("events.csv", "patient_id,month,type\nP1,2,fracture\n", 2, "type", "fracture"),
    ],
)
def test_row_without_a_usable_key_is_rejected(table: str, text: str, row: int, column: str, value: str) -> None:
    files = [(table, text)] if table == "patients.csv" else [("patients.csv", PATIENTS), (table, text)]
    result = _load(*files)
    issue = next(i for i in result.report.issues if i.code == "missing_key")
    assert (issue.severity, issue.row, issue.column, issue.value) == ("rejected", row, column, value)


@pytest.mark.parametrize(
    ("header", "column", "good", "bad", "code"),
    [
        ("hcq", "hcq", "oui", "peut-être", "invalid_value"),
        ("cs_dose_mg", "cs_dose_mg", "5", "dix", "invalid_value"),
        ("Réponse cutanée", "cutaneous_response", "RC", "meilleure", "invalid_value"),
        ("C3", "c3", "0.8", "15", "implausible_value"),
        ("cs_dose_mg", "cs_dose_mg", "0", "-5", "implausible_value"),
        ("painful_joints", "painful_joints", "68", "70", "implausible_value"),
    ],
)
def test_bad_visit_value_is_a_warning_and_set_missing(header: str, column: str, good: str, bad: str, code: str) -> None:
    visits = f"patient_id,month,{header}\nP1,M0,{good}\nP2,M0,{bad}\n"
    result = _load(("patients.csv", PATIENTS), ("visits.csv", visits))
    issue = next(i for i in result.report.issues if i.code == code)
    assert (issue.severity, issue.row, issue.column, issue.value) == ("warning", 3, header, bad)
    assert result.cohort.con.table("visits").df()[column].isna().tolist() == [False, True]


@pytest.mark.parametrize(("age", "code"),
                         [("121", "implausible_value"), ("-1", "implausible_value"), ("quarante", "invalid_value")])
def test_bad_age_is_a_warning_and_the_patient_stays(age: str, code: str) -> None:
    result = _load(("patients.csv", f"patient_id,sex,Âge (ans)\nP1,F,{age}\n"))
    assert _found(result, code) == [("warning", 2, "Âge (ans)")]
    assert result.report.counts["patients"].kept == 1


@pytest.mark.parametrize("age", ["120", "0", "18"])
def test_age_within_range_is_not_flagged(age: str) -> None:
    result = _load(("patients.csv", f"patient_id,sex,age\nP1,F,{age}\n"))
    assert result.report.issues == []


def test_patient_with_missing_age_is_not_an_issue_here() -> None:
    result = _load(("patients.csv", "patient_id,sex,age,acr_eular_2019\nP1,F,,\nP2,M,50,oui\n"))
    assert result.report.issues == []
    assert result.report.counts["patients"].kept == 2


def test_wide_cell_issue_points_at_the_users_header_and_row() -> None:
    text = "N° patient;Sexe;Âge;Dose CT M0;HCQ M3\nP1;F;40;10;oui\nP2;H;50;5;peut-être\n"
    result = _load(("cohorte.csv", text))
    assert _found(result, "invalid_value") == [("warning", 3, "HCQ M3")]


def test_wide_row_without_patient_id_is_rejected_once() -> None:
    text = "N° patient;Sexe;Âge;Dose CT M0\nP1;F;40;10\n;H;50;5\n"
    result = _load(("cohorte.csv", text))
    assert _found(result, "missing_key") == [("rejected", 3, "N° patient")]
    assert result.report.counts["visits"].read == 1


def test_row_counts_add_up_for_each_table() -> None:
    visits = "patient_id,month\nP1,M0\nP1,M0\nP9,M0\nP2,\nP2,M3\n"
    events = "patient_id,month,type\nP1,2,infection\nP1,,infection\nP8,1,autre\n"
    result = _load(("patients.csv", "patient_id,sex,age\nP1,F,40\n,M,1\nP2,M,50\n"),
                   ("visits.csv", visits), ("events.csv", events))
    counts = {t: (c.read, c.kept, c.rejected) for t, c in result.report.counts.items()}
    assert counts == {"patients": (3, 2, 1), "visits": (5, 2, 3), "events": (3, 1, 2)}


def test_long_layout_without_sex_column_is_an_error() -> None:
    result = _load(("suivi.csv", "patient_id,age,month\nP1,40,M0\n"))
    assert _found(result, "missing_column") == [("error", None, "sex")]


def test_repeated_wide_row_points_its_visits_at_the_patient_id_column() -> None:
    result = _load(("cohorte.csv", "N° patient;Sexe;Âge;Dose CT M0\nP1;F;40;10\nP1;F;40;5\n"))
    assert _found(result, "duplicate_visit") == [("rejected", 3, "N° patient")]


# P1 on a drug the app does not know, P2 on a known brand written with its dose.
_DRUG_VISITS = "patient_id,month,Dose CT,Corticoïde\nP1,M0,10,Mystery\nP2,M0,5,Cortancyl 5mg\nP2,M3,0,\n"


def test_unrecognised_drug_is_a_warning_at_its_cell() -> None:
    result = _load(("patients.csv", PATIENTS), ("visits.csv", _DRUG_VISITS))
    assert [(i.severity, i.row, i.column, i.value) for i in result.report.issues if i.code == "unknown_drug"] == [
        ("warning", 2, "Corticoïde", "Mystery")]


def test_unrecognised_drug_warning_lists_the_accepted_names() -> None:
    issue = next(i for i in _load(("patients.csv", PATIENTS), ("visits.csv", _DRUG_VISITS)).report.issues
                 if i.code == "unknown_drug")
    assert all(name in issue.hint for name in ("prednisone", "methylprednisolone", "cortancyl"))


def test_unrecognised_drug_keeps_the_row_and_the_value(table_of) -> None:
    result = _load(("patients.csv", PATIENTS), ("visits.csv", _DRUG_VISITS))
    visits = table_of(result.cohort, "visits")
    assert (result.report.usable, visits["cs_drug"].tolist()[:2]) == (True, ["Mystery", "Cortancyl 5mg"])


def test_cell_naming_two_drugs_is_warned() -> None:
    visits = "patient_id,month,cs_dose_mg,cs_drug\nP1,M0,10,prednisone + medrol\n"
    assert _found(_load(("patients.csv", PATIENTS), ("visits.csv", visits)), "unknown_drug") == [
        ("warning", 2, "cs_drug")]


def test_wide_drug_column_is_warned_under_its_header() -> None:
    wide = "patient_id,sex,age,Dose CT M0,Corticoïde M0\nP1,F,40,10,Mystery\n"
    assert _found(_load(("cohort.csv", wide)), "unknown_drug") == [("warning", 2, "Corticoïde M0")]


@pytest.mark.parametrize("rows, expected", [
    ([], True), ([[0, 2, -1]], True), ([[0, 2, 0], [0, 2, 3], [0, 3, 0], [1, 1, 0]], True),
    ([[0, 2, 3], [0, 2, 0]], False), ([[0, 3, 0], [0, 2, 6]], False), ([[1, 2, 0], [0, 9, 0]], False),
])
def test_rows_in_upload_order_are_recognised(rows, expected):
    from core.db import rows_in_order

    keys = np.array(rows, dtype=np.int64).reshape(len(rows), 3)
    assert rows_in_order(keys) is expected
    assert expected == (sorted(map(tuple, rows)) == list(map(tuple, rows)))


# Synthetic ids: spellings that differ by case, by spaces (ASCII or not, trimmed or
# inside), by script or width, by leading zeros; missing markers; months in every spelling.
_ID_SPELLINGS = ["P1", "p1", " P1", "P1\u00a0", "P\u00a01", "\uff301", "\u04201", "P01", "007", "7", "P2", "P2 ",
                 "ND", "", "n/a"]
_MONTH_SPELLINGS = {"M0": 0, "0": 0, "M3": 3, "3": 3, "m 3": 3, "Mois 3": 3, "M6": 6, "6,0": 6, "M3,5": None,
                    "ND": None}
_PATIENT_IDS = ["P1", "p1", "P\u00a01", "007", "P2"]  # distinct once trimmed


@pytest.mark.parametrize("seed", range(4))
def test_rejected_visits_are_the_rows_found_on_trimmed_text(seed: int) -> None:
    import random

    rng = random.Random(seed)
    lines = ["patient_id;month;hcq"]
    missing, unknown, twice, kept, seen = [], [], [], [], set()
    for _ in range(80):
        if rng.random() < 0.1:
            lines.append("")  # a blank line is a spreadsheet row, not a visit
            continue
        cell, month_cell = rng.choice(_ID_SPELLINGS), rng.choice(list(_MONTH_SPELLINGS))
        lines.append(f"{cell};{month_cell};oui")
        row, patient, month = len(lines), cell.strip(), _MONTH_SPELLINGS[month_cell]
        if patient in ("", "ND", "n/a") or month is None:
            missing.append(row)
        elif patient not in _PATIENT_IDS:
            unknown.append(row)
        elif (patient, month) in seen:
            twice.append(row)
        else:
            seen.add((patient, month))
            kept.append((patient, month))
    patients = "patient_id;sex;age\n" + "".join(f"{p};F;40\n" for p in _PATIENT_IDS)
    result = _load(("patients.csv", patients), ("visits.csv", "\n".join(lines) + "\n"))
    assert result.cohort is not None
    assert sorted(r for _, r, _ in _found(result, "missing_key")) == missing  # listed key by key
    assert [r for _, r, _ in _found(result, "unknown_patient")] == unknown
    assert [r for _, r, _ in _found(result, "duplicate_visit")] == twice
    count = result.report.counts["visits"]
    assert (count.read, count.kept, count.rejected) == (len(missing) + len(unknown) + len(twice) + len(kept),
                                                        len(kept), len(missing) + len(unknown) + len(twice))
    # Each stored visit carries its own patient's number.
    stored = result.cohort.con.execute(
        "SELECT v.patient_id, v.month, p.patient_id FROM _visits v LEFT JOIN _patients p USING (_pid)").fetchall()
    assert sorted((v, m) for v, m, _ in stored) == sorted(kept)
    assert all(v == p for v, _, p in stored)


@pytest.mark.parametrize("ids, twice", [
    (["P1", "p1", "P2"], []),
    (["P1", " P1", "P2"], [2, 3]),
    (["P1", "P1\u00a0", "P2"], [2, 3]),
    (["P1", "P\u00a01", "P2"], []),
    (["007", "7", "07"], []),
    (["P1", "P2", "P1 ", "P2", "P3"], [2, 3, 4, 5]),
])
def test_duplicate_patients_are_equal_ids_once_trimmed(ids: list[str], twice: list[int]) -> None:
    result = _load(("patients.csv", "patient_id;sex;age\n" + "".join(f"{p};F;40\n" for p in ids)))
    assert sorted(r for _, r, _ in _found(result, "duplicate_patient")) == twice


@pytest.mark.parametrize("seed", range(3))
def test_rows_in_upload_order_are_those_a_stable_sort_leaves_in_place(seed: int) -> None:
    from core.db import rows_in_order

    rng = np.random.default_rng(seed)
    for _ in range(200):
        keys = rng.integers(-1, 3, size=(int(rng.integers(0, 6)), 3))
        assert rows_in_order(keys) == (np.lexsort(keys.T[::-1], axis=0) == np.arange(len(keys))).all()


# --- Rows under a table that are not data -------------------------------------------

_PATIENTS = "N° patient;Sexe;Âge;Atteinte cutanée\nP1;F;30;oui\nP2;F;40;oui\nP3;M;50;non\nP4;F;46;oui\n"


@pytest.mark.parametrize(("tail", "variant", "value"), [
    ("\n* P4 : données manquantes à M6, relancer le centre;;;\n", "note", "* P4 : données manquantes à M6, relancer le centre"),
    ("\nMoyenne;;41,5;\n", "summary", "Moyenne"),
    ("N° patient;Sexe;Âge;Atteinte cutanée\n", "header", "N° patient"),
    ("\nTotal;;;4\n", "summary", "Total"),
    # Excel's own label under a pivot table or subtotals, and a summary's word with more.
    ("\nTotal général;;;4\n", "summary", "Total général"),
    ("\nMoyenne ± ET;;41,5;\n", "summary", "Moyenne ± ET"),
    ("\nMédiane (IQR);;43;\n", "summary", "Médiane (IQR)"),
    ("\nTotal patients;;;4\n", "summary", "Total patients"),
    ("\nMoy.;;41,5;\n", "summary", "Moy."),
    ("\nMax;;50;\n", "summary", "Max"),
    ("\nNb patients;;;4\n", "summary", "Nb patients"),
    ("Données recueillies par le Dr X en mars 2025;;;\n", "note", "Données recueillies par le Dr X en mars 2025"),
])
def test_a_row_that_is_not_data_is_left_out_and_reported(tail, variant, value):
    """A note, a summary (mean, total) or the header again under the table is no
    patient: it is rejected with its row, counted as read, and the numbers leave it out
    (a mean row's age entered the age statistics)."""
    text = _PATIENTS + tail
    row = text.rstrip("\n").count("\n") + 1
    result = load_cohort([("patients.csv", text.encode("utf-8"))])
    assert [(i.severity, i.code, i.variant, i.row, i.value) for i in result.report.issues] == [
        ("rejected", "not_a_data_row", variant, row, value)]
    counts = result.report.counts["patients"]
    assert (counts.read, counts.kept, counts.rejected) == (5, 4, 1)
    ages = result.cohort.con.execute("SELECT count(age), avg(age) FROM patients").fetchone()
    assert ages == (4, 41.5)


@pytest.mark.parametrize("ids", [("AB", "CD", "N"), ("SD", "MAX", "NB"), ("Total", "Moyenne", "Mean"),
                                 ("P 1", "P 2", "LIL 023")])
def test_rows_of_patients_stay_patients_whatever_their_ids(ids):
    """Initials (SD, MAX, NB), even a summary's word, are patients when the row holds a
    patient's sex; ids with a space are ids."""
    text = "id;sexe;age\n" + "".join(f"{i};F;{30 + k}\n" for k, i in enumerate(ids))
    result = load_cohort([("patients.csv", text.encode())])
    assert [i.code for i in result.report.issues] == []
    assert result.report.counts["patients"].kept == 3


@pytest.mark.parametrize("ids", [("SD", "NB", "AB"), ("MAX 001", "Total 2", "P3")])
def test_initials_and_ids_with_a_number_stay_patients_without_their_sex(ids):
    """Initials that abbreviate a summary's word (SD, NB), and a summary's word with a
    number, are patients even where the sex is blank."""
    text = "id;sexe;age\n" + "".join(f"{i};;{30 + k}\n" for k, i in enumerate(ids))
    result = load_cohort([("patients.csv", text.encode())])
    assert [i.code for i in result.report.issues if i.code == "not_a_data_row"] == []
    assert result.report.counts["patients"].kept == 3


def test_a_wide_sheets_repeated_header_is_no_patient_and_no_visit():
    """Two wide exports pasted together: the second header row is said once and gives
    neither a patient nor visits (its visit cells are headers too)."""
    text = ("N° patient;Sexe;Âge;Dose CT M0;Dose CT M3\nP1;F;30;10;5\nP2;M;40;8;4\n"
            "N° patient;Sexe;Âge;Dose CT M0;Dose CT M3\nP3;F;50;6;3\n")
    result = load_cohort([("cohort.csv", text.encode())])
    assert [(i.code, i.variant, i.row) for i in result.report.issues] == [("not_a_data_row", "header", 4)]
    counts = result.report.counts
    assert (counts["patients"].kept, counts["visits"].kept) == (3, 6)


def test_a_wide_sheets_note_row_is_said_once():
    """A wide sheet gives patients and each month's visits from one row: its note is
    one issue, left out of every table."""
    text = ("id;sexe;age;dose_ct_m0;dose_ct_m3\nP1;F;30;10;5\nP2;M;40;8;4\n"
            "\nNB : doses en mg de prednisone;;;;\n")
    result = load_cohort([("cohort.csv", text.encode())])
    assert [(i.code, i.variant, i.row) for i in result.report.issues] == [("not_a_data_row", "note", 5)]
    assert result.report.counts["patients"].kept == 2 and result.report.counts["visits"].kept == 4


def test_a_wide_sheets_patient_named_like_a_summary_keeps_its_visits():
    """"Total;M;40;8;4" in a wide sheet is a patient (its sex is filled): its visits
    stay too, as they do when patients and visits come as two files."""
    text = "id;sexe;age;dose_ct_m0;dose_ct_m3\nP1;F;30;10;5\nTotal;M;40;8;4\nMean;F;41;7;3\n"
    result = load_cohort([("cohort.csv", text.encode())])
    assert result.report.issues == []
    assert (result.report.counts["patients"].kept, result.report.counts["visits"].kept) == (3, 6)


@pytest.mark.parametrize("ids", [("CHU de Lyon 12", "CHU de Lyon 13"), ("(1)", "(2)"), ("* 1", "* 2")])
def test_ids_that_read_like_notes_beside_data_are_ids(ids):
    """Several words or a note's mark in an id, with the row's data beside it: an id."""
    text = "id;sexe;age\n" + "".join(f"{i};F;{30 + k}\n" for k, i in enumerate(ids))
    result = load_cohort([("patients.csv", text.encode())])
    assert result.report.issues == [] and result.report.counts["patients"].kept == 2


@pytest.mark.parametrize("cell", ["+", "-", "/", "*", ".", "\u2014", "\u2212"])
def test_a_mark_that_is_no_missing_marker_is_reported_not_dropped(cell: str) -> None:
    # "+" in a yes/no column or "-" in a lab column normalises to nothing like a blank,
    # yet the contract's missing markers are blank, NA, N/A, ND, NC, ?, nan and null:
    # the cell is reported as unreadable (its row and column), never dropped without a word.
    patients = f"patient_id;sex;age;cutaneous\nP1;F;40;oui\nP2;F;41;{cell}\n"
    visits = f"patient_id;month;c3;hcq\nP1;M0;{cell};oui\nP2;M0;0,8;non\n"
    result = _load(("patients.csv", patients), ("visits.csv", visits))
    found = sorted((i.file, i.row, i.column, i.value) for i in result.report.issues if i.code == "invalid_value")
    assert found == [("patients.csv", 3, "cutaneous", cell), ("visits.csv", 2, "c3", cell)]


@pytest.mark.parametrize("cell", ["?", " ?? ", "", "  "])
def test_a_question_mark_or_blank_stays_a_silent_missing_marker(cell: str) -> None:
    result = _load(("patients.csv", f"patient_id;sex;age;cutaneous\nP1;F;40;{cell}\n"))
    assert [i.code for i in result.report.issues if i.code == "invalid_value"] == []


@pytest.mark.parametrize(("last", "rejected"), [("Total (n=2);;40,5", True), ("Moyenne ± ET 40,5;;", True),
                                                ("Effectif total 2;;", True), ("Écart-type (n=2);;12,3", True),
                                                ("Ecart type 12,3;;", True), ("Total: 2;;", True), ("MAX 001;;40", False),
                                                ("Total 2;;40", False), ("Total12;F;40", False)])
def test_a_summary_label_with_a_digit_is_no_patient(last: str, rejected: bool) -> None:
    # "Total (n=2)" under the patients was one more treated patient, without a word: only
    # labels without a digit were asked. An id with a digit stays an id ("MAX 001", a word
    # and a number: "Total 2"), and a row with its sex is a patient's.
    result = _load(("patients.csv", f"patient_id;sex;age\nP1;F;40\nP2;M;41\n{last}\n"))
    said = [(i.code, i.row) for i in result.report.issues if i.code == "not_a_data_row"]
    assert (said, result.report.counts["patients"].kept) == (([("not_a_data_row", 4)], 2) if rejected else ([], 3))


@pytest.mark.parametrize("seed", range(5))
def test_repeated_visits_are_the_pairs_pandas_finds_repeated(seed):
    from core.validate import _repeated_pairs

    rng = np.random.default_rng(seed)
    n = 5000
    patient = rng.integers(0, [50, 2_000_000, 3, 1000, 10][seed], n)
    month = rng.choice([0, 3, 6, 12, 600, 599, 1], n) if seed % 2 else rng.integers(0, 601, n)
    expected = pd.DataFrame({"patient": patient, "month": month}).duplicated(keep="first").to_numpy()
    assert (_repeated_pairs(patient, month) == expected).all()
    assert expected.any() or seed == 1
    assert _repeated_pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).size == 0
