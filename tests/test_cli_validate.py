"""`python -m core validate`: exit codes, JSON shape, and no traceback on any input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = "patient_id,sex,age\nP1,F,40\nP2,M,50\n"
DUPLICATE = "patient_id,sex,âge\nP1,F,40\nP1,M,50\n"


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def test_usable_file_exits_0_and_prints_counts(tmp_path: Path, capsys) -> None:
    assert main(["validate", _write(tmp_path, "patients.csv", GOOD)]) == 0
    assert "patients  read      2  kept      2  rejected      0" in capsys.readouterr().out


def test_file_with_an_error_exits_1_and_lists_it(tmp_path: Path, capsys) -> None:
    assert main(["validate", _write(tmp_path, "patients.csv", DUPLICATE)]) == 1
    out = capsys.readouterr().out
    assert "ERROR    duplicate_patient: patients.csv, row 3, column 'patient_id'" in out


def test_errors_are_printed_before_warnings(tmp_path: Path, capsys) -> None:
    main(["validate", _write(tmp_path, "patients.csv", "patient_id,sex,age,note\nP1,F,40,x\nP1,F,40,y\n")])
    out = capsys.readouterr().out
    assert out.index("duplicate_patient") < out.index("unknown_column")


def test_json_report_has_usable_counts_and_issues(tmp_path: Path, capsys) -> None:
    main(["validate", "--json", _write(tmp_path, "patients.csv", DUPLICATE)])
    report = json.loads(capsys.readouterr().out)
    assert (report["usable"], report["counts"]["patients"]) == (False, {"read": 2, "kept": 2, "rejected": 0})
    assert {k: report["issues"][0][k] for k in ("severity", "code", "row", "column")} == {
        "severity": "error", "code": "duplicate_patient", "row": 2, "column": "patient_id"}


def test_json_keeps_accents_unescaped(tmp_path: Path, capsys) -> None:
    main(["validate", "--json", _write(tmp_path, "patients.csv", "patient_id,sex,age,Durée\nP1,F,40,x\n")])
    assert "'Durée'" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["validate"], ["validate", "--demo", "x.csv"], ["nonsense"], []])
def test_usage_error_exits_2(args: list[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2


def test_missing_file_exits_2_with_a_clean_message(tmp_path: Path) -> None:
    done = _run("validate", str(tmp_path / "absent.csv"))
    assert done.returncode == 2
    assert "no such file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("name", "content"), [
    ("garbage.csv", bytes(range(256)) * 4),
    ("garbage.xlsx", b"PK\x03\x04" + bytes(range(200))),
    ("garbage.parquet", b"PAR1" + b"\x00" * 64 + b"PAR1"),
    ("empty.csv", b""),
    ("quotes.csv", b'"patient_id,sex\n"P1,"F\n'),
])
def test_garbage_input_exits_1_without_traceback(tmp_path: Path, name: str, content: bytes) -> None:
    done = _run("validate", _write(tmp_path, name, content))
    assert (done.returncode, "Traceback" in done.stdout + done.stderr) == (1, False)


def test_bundled_demo_validates_with_exit_0() -> None:
    done = _run("validate", "--demo")
    assert (done.returncode, "Usable: yes" in done.stdout) == (0, True)


def test_lang_fr_prints_the_report_in_french(tmp_path: Path, capsys) -> None:
    assert main(["validate", "--lang", "fr", _write(tmp_path, "patients.csv", DUPLICATE)]) == 1
    out = capsys.readouterr().out
    assert "ERREUR   duplicate_patient: patients.csv, ligne 3, colonne «\u202fpatient_id\u202f»" in out
    assert "L'identifiant de patient «\u202fP1\u202f» figure sur plus d'une ligne." in out
    assert "Utilisable\u202f: non (2 erreurs)" in out


def test_lang_fr_json_keeps_codes_and_gives_french_sentences(tmp_path: Path, capsys) -> None:
    main(["validate", "--json", "--lang", "fr", _write(tmp_path, "patients.csv", DUPLICATE)])
    issue = json.loads(capsys.readouterr().out)["issues"][0]
    assert (issue["code"], issue["params"]["value"]) == ("duplicate_patient", "P1")
    assert issue["message"] == "L'identifiant de patient «\u202fP1\u202f» figure sur plus d'une ligne."


def test_default_language_is_english(tmp_path: Path, capsys) -> None:
    main(["validate", _write(tmp_path, "patients.csv", DUPLICATE)])
    assert "Patient id 'P1' is on more than one row." in capsys.readouterr().out


def test_a_reader_crash_names_the_exception_type_but_never_its_text(monkeypatch, tmp_path: Path, capsys) -> None:
    # An exception's text can quote a cell (patient data): only its type is printed.
    def _crash(*args, **kwargs):
        raise RuntimeError("cell 'DUPONT Marie' could not be read")

    monkeypatch.setattr("core.loader.read_files", _crash)
    assert main(["validate", _write(tmp_path, "patients.csv", GOOD)]) == 1
    err = capsys.readouterr().err
    assert ("RuntimeError" in err, "DUPONT" in err) == (True, False)


# A French wide export with an extra column two patients hold per value, plus a file
# that is no cohort table.
WIDE_FR = ("N° patient;Sexe;Âge;Réponse cutanée M6;Groupe\n"
           "P1;F;40;RC;A\nP2;M;50;NR;A\nP3;F;30;RP;B\nP4;F;33;;B\n")


def _columns(tmp_path: Path, capsys, *args: str) -> dict[str, dict]:
    files = [_write(tmp_path, "cohort.csv", WIDE_FR), _write(tmp_path, "notes.csv", "foo\n1\n")]
    main(["validate", "--json", *args, *files])
    return {c["header"]: c for c in json.loads(capsys.readouterr().out)["columns"]}


def test_json_lists_every_column_of_every_file_in_upload_order(tmp_path: Path, capsys) -> None:
    columns = _columns(tmp_path, capsys)
    assert [(c["file"], h) for h, c in columns.items()] == [
        ("cohort.csv", "N° patient"), ("cohort.csv", "Sexe"), ("cohort.csv", "Âge"),
        ("cohort.csv", "Réponse cutanée M6"), ("cohort.csv", "Groupe"), ("notes.csv", "foo")]


def test_json_reads_a_wide_french_header_as_its_field_and_month(tmp_path: Path, capsys) -> None:
    reading = _columns(tmp_path, capsys)["Réponse cutanée M6"]
    assert {k: reading[k] for k in ("sheet", "status", "field", "month", "table", "reason")} == {
        "sheet": None, "status": "field", "field": "cutaneous_response", "month": 6, "table": "visits",
        "reason": None}
    assert reading["message"] == "Read as Cutaneous response, M6 (visits)"


def test_json_marks_an_extra_column_offered_as_a_filter(tmp_path: Path, capsys) -> None:
    reading = _columns(tmp_path, capsys)["Groupe"]
    assert (reading["status"], reading["field"], reading["table"], reading["reason"]) == (
        "filter", None, "patients", None)


def test_json_says_why_a_column_is_not_used_in_the_chosen_language(tmp_path: Path, capsys) -> None:
    reading = _columns(tmp_path, capsys, "--lang", "fr")["foo"]
    assert (reading["status"], reading["reason"]) == ("unused", "unrecognised_table")
    assert reading["message"].startswith("Non utilisée\u202f: la feuille ou le fichier n'a pas été reconnu")


def test_text_report_lists_the_columns_not_read_as_fields(tmp_path: Path, capsys) -> None:
    main(["validate", _write(tmp_path, "cohort.csv", WIDE_FR), _write(tmp_path, "notes.csv", "foo\n1\n")])
    out = capsys.readouterr().out
    assert "Columns (6): read as fields 4; extra, offered as filters 1; extra, not filters 0; not used 1" in out
    assert "  notes.csv, column 'foo': Not used: the sheet or file was not recognised" in out
    assert "column 'Sexe'" not in out.split("Columns (6)")[1]
