"""Validation issues in French and English: one catalogue sentence per code, every code covered."""
from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from core.i18n import LANGS, catalogue, t
from core.loader import load_cohort
from core.report import CODES, ERROR, WARNING, Issue, issue_key
from core.schema import TABLES

_ROOT = Path(__file__).resolve().parent.parent
# Modules that build issues, and the position of the code among each builder's arguments.
_EMITTERS = ("core/formats.py", "core/raw_table.py", "core/parquet_reader.py", "core/lookalike_ids.py", "core/limits.py",
             "core/workbook_scan.py", "core/sheet_xml.py", "core/workbooks.py", "core/layout.py", "core/validate.py",
             "core/loader.py", "core/identifier_columns.py", "ui/state.py")
_CODE_ARG = {"Issue": 1, "of": 1, "_error": 0, "file_issue": 0, "_at": 2, "_list_rows": 3}
_DECLARED = [(code, variant) for code, variants in CODES.items() for variant in ("", *variants)]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _code_literals() -> set[str]:
    """String literals passed as the code of an issue builder, or held in a ``code`` name."""
    found = set()
    for rel in _EMITTERS:
        tree = ast.parse((_ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                pos = _CODE_ARG.get(name)
                args = node.args[pos:pos + 1] if pos is not None else []
                args += [k.value for k in node.keywords if k.arg == "code"]
                found |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
            elif isinstance(node, ast.Assign) and any(getattr(x, "id", None) == "code" for x in node.targets):
                found |= {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
            elif isinstance(node, ast.For) and "code" in {getattr(x, "id", None) for x in ast.walk(node.target)}:
                # ``for mask, code in ((invalid, "invalid_value"), ...)``
                found |= {c.value for c in ast.walk(node.iter) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def test_the_source_scan_finds_the_codes_of_every_emitting_module():
    # Guards the scan itself: a code from each module must be seen.
    assert {"empty_file", "unknown_column", "invalid_value", "no_table", "load_failed"} <= _code_literals()


def test_every_code_in_the_sources_is_declared():
    assert _code_literals() - set(CODES) == set()


def test_every_declared_code_is_emitted_somewhere():
    assert set(CODES) - _code_literals() == set()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code, variant", _DECLARED)
def test_every_code_has_a_message_and_a_hint(code, variant, lang):
    assert {issue_key(code, variant, "message"), issue_key(code, variant, "hint")} <= catalogue(lang).keys()


@pytest.mark.parametrize("lang", LANGS)
def test_every_canonical_table_and_column_has_a_label(lang):
    names = {f"column.{c.name}" for cols in TABLES.values() for c in cols} | {f"issue.table.{n}" for n in TABLES}
    assert names <= catalogue(lang).keys()


def test_undeclared_code_is_a_programming_error():
    with pytest.raises(ValueError, match="undeclared"):
        Issue(WARNING, "no_such_code", "text")


def test_undeclared_variant_is_a_programming_error():
    with pytest.raises(ValueError, match="undeclared"):
        Issue.of(WARNING, "invalid_value", {"col": "age", "value": "x"}, variant="nope")


def test_english_message_is_built_from_the_catalogue():
    issue = Issue.of(WARNING, "invalid_value", {"col": "cutaneous_response", "value": "bof"})
    assert issue.message == "'bof' cannot be read as cutaneous response; the value is left missing."
    assert issue.hint == t("issue.invalid_value.hint", "en")


def test_french_text_translates_the_column_name():
    issue = Issue.of(WARNING, "invalid_value", {"col": "cutaneous_response", "value": "bof"})
    assert issue.text("fr") == "«\u202fbof\u202f» n'est pas une valeur lisible pour réponse cutanée\u202f; la valeur est laissée manquante."


def test_french_text_translates_the_table_name():
    issue = Issue.of(ERROR, "missing_column", {"table": "visits", "col": "month", "accepted": "month, mois"})
    assert issue.text("fr") == "La table visites n'a pas de colonne mois."
    assert issue.hint_text("fr").endswith("En-têtes acceptés\u202f: month, mois.")


@pytest.mark.parametrize("lang, expected", [("en", "(0 to 1.5)"), ("fr", "(0 à 1,5)")])
def test_range_bounds_use_the_locale_decimal_mark(lang, expected):
    issue = Issue.of(WARNING, "implausible_value", {"col": "c3", "value": "9", "low": 0, "high": 1.5})
    assert expected in issue.text(lang)


def test_issue_with_params_stays_hashable():
    issue = Issue.of(WARNING, "title_row_skipped", {"row": 1, "title": "Cohort", "header_row": 2})
    assert hash(issue) == hash(Issue.of(WARNING, "title_row_skipped", {"header_row": 2, "title": "Cohort", "row": 1}))


def test_issue_written_directly_keeps_its_text_in_every_language():
    issue = Issue(ERROR, "load_failed", "Les fichiers n'ont pas pu être lus (ValueError).")
    assert issue.text("en") == issue.text("fr") == issue.message


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code, variant", _DECLARED)
def test_both_languages_fill_the_same_fields(code, variant, lang):
    en = catalogue("en")[issue_key(code, variant, "message")]
    assert _fields(catalogue(lang)[issue_key(code, variant, "message")]) == _fields(en)


# Uploads meeting many codes at once: every issue must read in both languages.
_UPLOADS = {
    "values": [("p.csv", "patient_id;sexe;age;c3\nP1;F;34;0,8\nP2;X;300;-1\nP1;F;40;\n;M;30;\n".encode())],
    "links": [("patients.csv", b"patient_id,sex,age\nP1,F,30\n"),
              ("visits.csv", b"patient_id,month,c3,c4\nP1,M0,0.9,9\nP1,M0,1,0.2\nP9,M3,1,0.2\nP1,,1,1\n")],
    "files": [("empty.csv", b""), ("binary.csv", b"\x00\x01\x02" * 50), ("book.xlsx", b"PK\x03\x04garbage")],
}


@pytest.mark.parametrize("upload", sorted(_UPLOADS))
def test_every_issue_of_an_upload_reads_differently_in_french(upload):
    issues = load_cohort(_UPLOADS[upload]).report.issues
    assert issues
    assert all(i.text("en") == i.message and i.text("fr") != i.message for i in issues)


def test_french_upload_page_shows_a_french_message_for_an_unreadable_value(app):
    app.context["locale"] = "fr-FR"
    app.run()
    app.switch_page("pages/upload.py").run()
    csv = "N° patient,Sexe,Age (ans)\nP1,F,40\nP2,M,abc\n".encode()
    app.file_uploader(key="upload").set_value([("cohort.csv", csv, "text/csv")])
    app.run()
    rows = app.dataframe[-1].value.to_dict("records")
    row = next(r for r in rows if r["Valeur"] == "abc")
    assert row["Problème"] == "«\u202fabc\u202f» n'est pas une valeur lisible pour âge\u202f; la valeur est laissée manquante."
    assert row["Comment corriger"] == t("issue.invalid_value.hint", "fr")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_unknown_column_sentence_reads_for_every_table(table: str) -> None:
    # "not a events column" was the English sentence for the events table.
    for variant in ("", "unnamed"):
        issue = Issue.of(WARNING, "unknown_column", {"header": "Note", "position": 3, "table": table}, variant=variant)
        assert f"the cohort format's {table} table" in issue.text("en") and "a events" not in issue.text("en")
