"""Direct identifiers (core.identifiers, core.identifier_columns): each kind found by
its header and by its content, no false alarm on the study's own values, and flagged
columns kept out of the cohort (or dropped on request)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.demo import load_demo
from core.filters import filter_options
from core.identifier_columns import CONTENT, HEADER, identifier_issues, identifier_keys
from core.identifiers import content_kind, header_kind, name_values, nir_key, nir_values
from core.loader import load_cohort
from core.readings import UNUSED

PATIENTS = ["P1,F,40", "P2,M,50", "P3,F,30", "P4,F,33"]


def _nir(first13: str) -> str:
    """A NIR with its key, written with spaces as on a carte Vitale."""
    n = first13
    return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {nir_key(n):02d}"


def _upload(header: str, values: list[str], name: str = "patients.csv"):
    """A patients table with one more column, ``header``, holding ``values``."""
    rows = "\n".join(f"{p},{v}" for p, v in zip(PATIENTS, values))
    return load_cohort([(name, f"patient_id,sex,age,{header}\n{rows}\n".encode())])


def _flagged(result) -> list[tuple[str, str, str]]:
    return [(i.column, dict(i.params)["identifier"], i.variant or HEADER) for i in identifier_issues(result.report)]


# ---- by header ---------------------------------------------------------------------------
@pytest.mark.parametrize(("header", "kind"), [
    ("Nom", "name"), ("Prénom", "name"), ("Nom de naissance", "name"), ("Patient name", "name"),
    ("first name", "name"), ("Surname", "name"), ("Initiales", "name"),
    ("Date de naissance", "birth_date"), ("DDN", "birth_date"), ("Né(e) le", "birth_date"), ("DOB", "birth_date"),
    ("Date of birth", "birth_date"),
    ("NIR", "nir"), ("N° de sécurité sociale", "nir"), ("NSS", "nir"), ("INS", "nir"),
    ("Social security number", "nir"),
    ("Téléphone", "phone"), ("Tél. portable", "phone"), ("Phone", "phone"),
    ("E-mail", "email"), ("Courriel", "email"), ("Adresse mail", "email"),
    ("Adresse", "address"), ("Code postal", "address"), ("Address", "address"), ("Domicile", "address"),
])
def test_header_names_the_kind_of_identifier(header, kind):
    assert header_kind(header) == kind


@pytest.mark.parametrize("header", [
    "Nom du centre", "Drug name", "Nom commercial", "Poids de naissance", "Lieu de naissance", "Ville", "Commentaire",
    "Groupe", "CRP (mg/L)", "Date de diagnostic", "Traitement", "Équipe", "Numéro d'inclusion",
])
def test_header_that_names_no_identifier(header):
    assert header_kind(header) is None


@pytest.mark.parametrize(("header", "kind"), [("Nom", "name"), ("DDN", "birth_date"), ("Téléphone", "phone")])
def test_validate_warns_for_a_header_naming_an_identifier(header, kind):
    result = _upload(header, ["a", "b", "c", "d"])
    assert _flagged(result) == [(header, kind, HEADER)]
    issue = identifier_issues(result.report)[0]
    assert (issue.severity, issue.file, issue.sheet, issue.row) == ("warning", "patients.csv", None, 1)


# ---- by content ----------------------------------------------------------------------------
_CONTENT = {
    "name": ["Jean DUPONT", "DUPONT Marie", "Paul Martin", "Lefèvre, Anne"],
    "birth_date": ["12/03/1965", "1970-01-31", "31/12/1988", "05.06.1959"],
    "nir": [_nir("1850578006084"), _nir("269092A123456"), _nir("1720375123456"),
            _nir("2851299123007")],
    "phone": ["06 12 34 56 78", "+33 6 98 76 54 32", "01.45.67.89.10", "+44 20 7946 0958"],
    "email": ["jean.dupont@chu-lille.fr", "voir mail m.martin@gmail.com", "", "paul@example.org"],
    "address": ["12 rue de la Paix, 75002 Paris", "59000 Lille", "3 bis avenue Foch", "221B Baker Street"],
}


@pytest.mark.parametrize("kind", sorted(_CONTENT))
def test_content_gives_the_kind_under_a_header_that_says_nothing(kind):
    result = _upload("Notes", _CONTENT[kind])
    assert _flagged(result) == [("Notes", kind, CONTENT)]


def test_comment_column_full_of_emails_is_flagged():
    comments = ["écrire à jean@chu.fr", "a.martin@hopital.fr", "rappel par mail: x@y.org", "RAS"]
    assert _flagged(_upload("Commentaire", comments)) == [("Commentaire", "email", CONTENT)]


def test_birth_dates_in_workbook_date_cells_are_flagged(make_xlsx):
    born = [dt.datetime(1960, 3, 12), dt.datetime(1975, 7, 1), dt.datetime(1981, 11, 30), dt.datetime(1955, 1, 5)]
    rows = [["patient_id", "sex", "age", "Notes"], *[[f"P{k}", "F", 40, d] for k, d in enumerate(born)]]
    result = load_cohort([("cohort.xlsx", make_xlsx({"patients": rows}))])
    assert _flagged(result) == [("Notes", "birth_date", CONTENT)]
    assert identifier_issues(result.report)[0].sheet == "patients"


def test_nir_typed_as_a_number_is_flagged(make_xlsx):
    numbers = [int(_nir(n).replace(" ", "")) for n in ("1850578006084", "1720375123456", "2851299123007")]
    rows = [["patient_id", "sex", "age", "Numéro"], *[[f"P{k}", "F", 40, n] for k, n in enumerate(numbers)]]
    assert _flagged(load_cohort([("c.xlsx", make_xlsx({"patients": rows}))])) == [("Numéro", "nir", CONTENT)]


# ---- NIR key ----------------------------------------------------------------------------------
def test_nir_key_is_97_minus_the_number_mod_97():
    assert nir_key("1850578006084") == 91
    assert 97 - 1850578006084 % 97 == 91


@pytest.mark.parametrize(("corsica", "digits"), [("2A", "19"), ("2B", "18")])
def test_nir_key_reads_corsica_as_its_digits(corsica, digits):
    assert nir_key(f"18505{corsica}006084") == nir_key(f"18505{digits}006084")


def test_nir_with_a_valid_key_is_found_and_a_wrong_key_is_not():
    good = _nir("1850578006084")
    wrong = good[:-2] + f"{(nir_key('1850578006084') % 97) + 1:02d}"
    values = pd.Series([good, wrong, good.replace(" ", ""), f"NIR {good} vu"], dtype=object)
    assert nir_values(values).tolist() == [True, False, True, True]


def test_nir_of_a_corsican_birth_is_found():
    number = "269092A123456"  # born in Corse-du-Sud (2A)
    assert number[5:7] == "2A"
    assert nir_values(pd.Series([_nir(number)], dtype=object)).tolist() == [True]


def test_column_of_numbers_with_wrong_keys_is_not_a_nir():
    wrong = [_nir(n)[:-2] + "00" for n in ("1850578006084", "1720375123456", "2851299123007")]
    assert content_kind("Numéro", pd.Series(wrong, dtype=object)) is None


# ---- no false alarm -------------------------------------------------------------------------
@pytest.mark.parametrize("layout", ["fr", "en"])
def test_demo_cohort_has_no_identifier(layout):
    assert identifier_issues(load_demo(layout).report) == []


@pytest.mark.parametrize("layout", ["fr", "en"])
def test_demo_values_of_centres_drugs_and_events_are_not_identifiers(layout):
    con = load_demo(layout).cohort.con
    for table, column in (("patients", "centre"), ("visits", "cs_drug"), ("events", "description")):
        values = con.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL").df()[column]
        assert len(values) >= 2
        assert content_kind("Notes", values.astype(object)) is None, column


@pytest.mark.parametrize("values", [
    ["CHU Lille", "CH Boulogne-sur-Mer", "Hôpital Nord", "CHU de Bordeaux", "Hôpital Cochin AP-HP",
     "Clinique Pasteur", "CHRU Nancy", "Hospices Civils de Lyon"],
    ["Prednisone", "Cortancyl 5 mg", "Méthylprednisolone IV", "Rituximab IV", "Benlysta SC", "Plaquenil 200 mg",
     "Acide folique", "Saphnelo"],
    ["Infection urinaire", "GN IV + V", "Zona thoracique", "Pneumopathie à pneumocoque", "Poussée lupique",
     "COVID-19", "Herpes zoster ophtalmique", "Bronchite"],
    ["12,5", "8", "0,79", "150", "3.2", "ND", "45", "1200"],
    ["01/02/2021", "15/06/2022", "30/09/2023", "04/01/2024"],
    ["Anti SSA", "Anti Sm", "Anti RNP", "Anti SSB"],
    ["Classe III", "Classe II", "Classe IV", "Classe V"],
    ["Stade II", "Grade III", "Type I", "Classe VI"],
])
def test_study_values_are_not_identifiers(values):
    assert content_kind("Notes", pd.Series(values, dtype=object)) is None


@pytest.mark.parametrize("value", ["NGUYEN Vi", "Vi NGUYEN", "Tran Vi", "Marc GRADE", "Lucie STAGE", "Ali AC",
                                   "Anne CLASSE"])
def test_a_class_word_or_a_grade_alone_does_not_clear_a_name(value):
    assert name_values(pd.Series([value], dtype=object)).tolist() == [True]


def test_old_dates_of_another_event_are_not_birth_dates():
    dates = pd.Series(["12/03/1995", "01/01/2001", "31/12/1998", "05/06/2003"], dtype=object)
    assert content_kind("Date de diagnostic", dates) is None
    assert content_kind("Date", dates) == "birth_date"


def test_contract_columns_are_never_flagged():
    # A centre column full of names and an events description full of e-mails: still the contract's.
    patients = "patient_id,sex,age,centre\n" + "\n".join(
        f"{p},{n}" for p, n in zip(PATIENTS, _CONTENT["name"]))
    events = "patient_id,month,type,description\n" + "\n".join(
        f"P{k + 1},2,infection,{e}" for k, e in enumerate(["a@b.fr", "c@d.fr", "e@f.org", "g@h.com"]))
    result = load_cohort([("patients.csv", (patients + "\n").encode()), ("events.csv", (events + "\n").encode())])
    assert identifier_issues(result.report) == []


# ---- kept out of the cohort -------------------------------------------------------------------
# Two patients per name: without the identifier rule, "Nom" would be offered as a filter.
_FAMILY = ["Dupont", "Dupont", "Martin", "Martin"]


def test_flagged_column_is_kept_out_of_the_cohort_and_its_filters():
    result = _upload("Nom,Groupe", [f"{n},{g}" for n, g in zip(_FAMILY, "AABB")])
    assert _flagged(result) == [("Nom", "name", HEADER)]
    assert result.cohort.extra_columns["patients"] == ("groupe",)
    assert [name for name, _ in filter_options(result.cohort).extra] == ["groupe"]
    columns = result.cohort.con.execute("SELECT * FROM patients LIMIT 0").df().columns
    assert "nom" not in columns
    reading = next(r for r in result.report.columns if r.header == "Nom")
    assert (reading.status, reading.reason) == (UNUSED, "identifier")


def test_flagged_column_is_not_also_reported_as_kept():
    result = _upload("Nom", _FAMILY)
    assert [i.code for i in result.report.issues if i.column == "Nom"] == ["identifier_column"]


def test_flagged_column_of_the_events_table_is_kept_out_too():
    patients = ("patients.csv", ("patient_id,sex,age\n" + "\n".join(PATIENTS) + "\n").encode())
    events = ("events.csv", b"patient_id,month,type,Contact\nP1,2,infection,06 12 34 56 78\n")
    result = load_cohort([patients, events])
    assert _flagged(result) == [("Contact", "phone", CONTENT)]
    assert result.cohort.extra_columns["events"] == ()


def test_dropped_columns_are_not_read_and_stay_listed_in_place():
    upload = [("patients.csv", ("patient_id,sex,Nom,age,Notes\n" + "\n".join(
        f"P{k},F,{n},40,{e}" for k, (n, e) in enumerate(zip(_FAMILY, _CONTENT["email"])))).encode() + b"\n")]
    first = load_cohort(upload)
    keys = identifier_keys(first.report)
    assert keys == {("patients.csv", None, "Nom"), ("patients.csv", None, "Notes")}
    second = load_cohort(upload, drop_columns=keys)
    assert identifier_issues(second.report) == []
    assert [i.code for i in second.report.issues] == []
    assert [(r.header, r.reason) for r in second.report.columns] == [
        ("patient_id", None), ("sex", None), ("Nom", "identifier_dropped"), ("age", None),
        ("Notes", "identifier_dropped")]
    assert second.cohort.extra_columns["patients"] == ()


def test_a_sheet_whose_columns_are_all_dropped_is_left_out(make_xlsx):
    book = make_xlsx({"patients": [["patient_id", "sex", "age"], ["P1", "F", 40]],
                      "contacts": [["Nom", "Téléphone"], ["Dupont", "06 12 34 56 78"]]})
    keys = identifier_keys(load_cohort([("c.xlsx", book)]).report)
    assert keys == {("c.xlsx", "contacts", "Nom"), ("c.xlsx", "contacts", "Téléphone")}
    result = load_cohort([("c.xlsx", book)], drop_columns=keys)
    assert [i.code for i in result.report.issues] == []
    assert [r.reason for r in result.report.columns if r.sheet == "contacts"] == ["identifier_dropped"] * 2


def test_warning_reads_in_both_languages():
    issue = identifier_issues(_upload("Notes", _CONTENT["email"]).report)[0]
    assert issue.text("en") == ("Column 'Notes' looks like e-mail addresses (from its values): a direct identifier "
                                "of patients; it is left out of the cohort.")
    assert "adresses e-mail (d'après ses valeurs)" in issue.text("fr")
    assert "never offered as a filter" in issue.hint_text("en")


def test_validate_command_prints_the_warning(tmp_path, capsys):
    from core.cli import main

    path = tmp_path / "patients.csv"
    path.write_bytes(("patient_id,sex,age,Nom\n" + "\n".join(f"{p},X{k}" for k, p in enumerate(PATIENTS))).encode())
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Column 'Nom' looks like patients' names" in out


def test_columns_judged_together_get_the_kinds_they_get_alone():
    from core.identifiers import content_kinds

    columns = {f"Notes {kind}": values for kind, values in _CONTENT.items()}
    columns |= {"Date de diagnostic": ["12/03/1995", "01/01/2001", "31/12/1998"], "Groupe": ["A", "A", "B"],
                "Vide": ["", "ND", None], "Deux noms": ["Jean DUPONT", "Paul MARTIN"]}
    series = [pd.Series(v, dtype=object) for v in columns.values()]
    alone = [content_kind(h, s) for h, s in zip(columns, series)]
    assert content_kinds(list(columns), series) == alone
    assert alone == [*_CONTENT, None, None, None, None]
