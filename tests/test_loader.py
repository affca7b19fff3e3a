"""The loader end to end: value conventions, read errors, and the bundled demo cohort."""
from __future__ import annotations

import pandas as pd
import pytest

from core.demo import DEMO_FILES, load_demo
from core.loader import load_cohort

PATIENTS = "patient_id,sex,age\nP1,F,40\nP2,M,50\n"


def _visits(text: str, encoding: str = "utf-8", name: str = "visits.csv"):
    """Load a visits file together with a two-patient patients file."""
    return load_cohort([("patients.csv", PATIENTS.encode()), (name, text.encode(encoding))])


def _column(result, table: str, column: str) -> list:
    frame = result.cohort.con.table(table).df()
    return [None if pd.isna(v) else v for v in frame[column]]


@pytest.mark.parametrize(("word", "value"), [("oui", True), ("Non", False), ("x", True), ("VRAI", True),
                                             ("faux", False), ("1", True), ("0", False), ("yes", True)])
def test_bool_words_are_read(word: str, value: bool) -> None:
    assert _column(_visits(f"patient_id,month,hcq\nP1,M0,{word}\n"), "visits", "hcq") == [value]


def test_decimal_comma_in_semicolon_file_is_a_number() -> None:
    assert _column(_visits("patient_id;month;dose_ct\nP1;M0;7,5\n"), "visits", "cs_dose_mg") == [7.5]


@pytest.mark.parametrize(("header", "cell", "column", "value"), [
    ("Dose CT", "7,5 mg/j", "cs_dose_mg", 7.5),
    ("C3", "0,9 g/L", "c3", 0.9),
    ("Test de Farr", "12 UI/mL", "anti_dsdna", 12.0),
])
def test_trailing_units_are_ignored(header: str, cell: str, column: str, value: float) -> None:
    assert _column(_visits(f"patient_id;month;{header}\nP1;M0;{cell}\n"), "visits", column) == [value]


def test_cp1252_file_keeps_its_accents() -> None:
    text = "N° patient;Mois;Réponse cutanée;Corticoïde\nP1;M3;Réponse complète;prednisolone\n"
    result = _visits(text, encoding="cp1252")
    assert _column(result, "visits", "cutaneous_response") == ["CR"]


def test_utf8_bom_does_not_hide_the_first_header() -> None:
    result = load_cohort([("patients.csv", ("\ufeff" + PATIENTS).encode("utf-8"))])
    assert _column(result, "patients", "patient_id") == ["P1", "P2"]


def test_leading_zeros_of_patient_id_are_kept() -> None:
    result = load_cohort([("patients.csv", b"patient_id,sex,age\n0042,F,40\n")])
    assert _column(result, "patients", "patient_id") == ["0042"]


def test_nd_marker_is_missing_without_a_warning() -> None:
    result = _visits("patient_id,month,c3\nP1,M0,ND\n")
    assert _column(result, "visits", "c3") == [None]
    assert result.report.issues == []


def test_nr_in_a_response_column_is_non_responder() -> None:
    result = _visits("patient_id,month,reponse_articulaire\nP1,M3,NR\n")
    assert _column(result, "visits", "articular_response") == ["NR"]


@pytest.mark.parametrize(("cell", "month"), [("M0", 0), ("m12", 12), ("3", 3), ("M6", 6)])
def test_month_prefixed_with_m_is_read(cell: str, month: int) -> None:
    assert _column(_visits(f"patient_id,month\nP1,{cell}\n"), "visits", "month") == [month]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("patients.csv", b"", "empty_file"),
    ("patients.xlsx", b"not a workbook at all", "unreadable_file"),
    ("patients.csv", b"patient_id,sex,age\n", "header_only"),
])
def test_unreadable_upload_is_an_error_and_gives_no_cohort(name: str, content: bytes, code: str) -> None:
    result = load_cohort([(name, content)])
    first = result.report.sorted_issues()[0]
    assert (first.severity, first.code, first.file, first.row, first.column) == ("error", code, name, None, None)
    assert result.cohort is None


def test_usable_upload_gives_a_cohort_naming_its_source() -> None:
    result = load_cohort([("patients.csv", PATIENTS.encode())])
    assert result.cohort.source == "patients.csv"
    assert result.cohort.tables_present == frozenset({"patients"})


_TOO_WIDE = [
    # one too-wide row per file, each counted as read and rejected in its own table
    ("patients.csv", b"id,sex,age,dose\nP1,F,40,10\nP2,M,50,7,5\n"),
    ("visits.csv", b"id,mois,dose_ct\nP1,M0,7,5\nP1,M3,5\n"),
    ("events.csv", b"id,mois,type,libelle\nP1,2,infection,zona, thoracique\nP1,3,infection,otite\n"),
]


@pytest.mark.parametrize("table", ["patients", "visits", "events"])
def test_row_rejected_for_too_many_cells_counts_as_read_and_rejected(table: str) -> None:
    counts = load_cohort(_TOO_WIDE).report.counts[table]
    assert (counts.read, counts.kept, counts.rejected) == (2, 1, 1)


@pytest.mark.parametrize(("name", "text", "table"), [
    ("wide.csv", b"id,sex,age,dose_ct_m0\nP1,F,40,10\nP2,M,50,7,5\n", "patients"),
    ("suivi.csv", b"id,sex,age,mois,dose_ct\nP1,F,40,M0,10\nP1,F,40,M3,7,5\n", "visits"),
])
def test_too_wide_row_of_a_wide_or_long_sheet_counts_in_its_row_table(name: str, text: bytes, table: str) -> None:
    counts = load_cohort([(name, text)]).report.counts[table]
    assert (counts.read, counts.kept, counts.rejected) == (2, 1, 1)


_KEYS = {"patients": ["patient_id"], "visits": ["patient_id", "month"], "events": ["patient_id", "month", "type"]}


@pytest.mark.parametrize("layout", sorted(DEMO_FILES))
def test_demo_layout_loads_without_any_issue(layout: str) -> None:
    result = load_demo(layout)
    assert result.report.issues == []
    assert result.report.counts["patients"].kept == 23


@pytest.mark.parametrize("table", sorted(_KEYS))
def test_french_wide_demo_and_english_workbook_give_identical_tables(table: str) -> None:
    fr, en = load_demo("fr").cohort, load_demo("en").cohort
    frames = [c.con.table(table).df().sort_values(_KEYS[table]).reset_index(drop=True) for c in (fr, en)]
    pd.testing.assert_frame_equal(*frames)


def test_unknown_demo_layout_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        load_demo("de")


# Extra patient columns that are a filter, a rare value, too few values; a name-like
# column (held back, or dropped); and a visits file with a cell that cannot be read.
_EXTRAS = ("patient_id;Sexe;Âge;Groupe;Note;Constante;Nom\n"
           + "".join(f"P{k};{'FM'[k % 2]};{30 + k};{'AB'[k % 2]};{'x' if k == 1 else 'y'};c;Nom{k}\n"
                     for k in range(1, 13)))
_VISITS_WITH_ERRORS = "patient_id;mois;dose_ct\nP1;M0;7,5\nP2;M0;beaucoup\nP99;M0;5\nP1;M0;5\n"


@pytest.mark.parametrize(("files", "drop"), [
    ([(p.name, p.read_bytes()) for p in DEMO_FILES["fr"]], ()),
    ([(p.name, p.read_bytes()) for p in DEMO_FILES["en"]], ()),
    ([("patients.csv", _EXTRAS.encode())], ()),
    ([("patients.csv", _EXTRAS.encode())], (("patients.csv", None, "Nom"),)),
    ([("patients.csv", _EXTRAS.encode()), ("visites.csv", _VISITS_WITH_ERRORS.encode())], ()),
    ([("visits.csv", b"patient_id,month\nP1,0\n")], ()),
    ([("notes.txt", b"nothing")], ()),
])
def test_validate_files_reports_what_load_cohort_reports(files, drop) -> None:
    from core.loader import validate_files

    loaded = load_cohort(files, drop_columns=drop)
    if loaded.cohort is not None:
        loaded.cohort.close()
    report = validate_files(files, drop_columns=drop)
    for lang in ("en", "fr"):
        assert report.to_dict(lang) == loaded.report.to_dict(lang)


def test_validate_files_reads_extra_columns_as_filters_or_not() -> None:
    from core.loader import validate_files

    reasons = {c.header: c.reason for c in validate_files([("patients.csv", _EXTRAS.encode())]).columns}
    assert (reasons["Groupe"], reasons["Note"], reasons["Constante"]) == (None, "rare_value", "too_few_values")
