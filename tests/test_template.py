"""The cohort template (core.template) and `python -m core template`: it reads back as the
three tables, with its example as a usable cohort, and offers drop-down lists."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.cli import main
from core.i18n import LANGS, t
from core.loader import load_cohort
from core.populations import populations
from core.schema import CS_DRUG_FACTORS, DOCUMENTATION_SHEETS, TABLES, normalise
from core.template import CHOICE_VALUES, choices, header, sheet_name, template_workbook
from core.values import parse_column
from tests.helpers import xlsx_bytes

# Issues that say the reader misunderstood the workbook's layout (sheets or headers).
LAYOUT_CODES = {"unknown_column", "unrecognised_table", "duplicate_column", "bad_month_header", "no_table",
                "duplicate_table", "missing_table", "missing_column", "title_row_skipped"}
BOTH = [(lang, example) for lang in LANGS for example in (True, False)]


@pytest.fixture(scope="module")
def books() -> dict[tuple[str, bool], bytes]:
    return {(lang, example): template_workbook(lang, example) for lang, example in BOTH}


def _issue_codes(content: bytes) -> list[str]:
    result = load_cohort([("template.xlsx", content)])
    if result.cohort is not None:
        result.cohort.close()
    return [i.code for i in result.report.issues]


@pytest.mark.parametrize("lang, example", BOTH)
def test_template_reads_back_without_any_layout_issue(books, lang, example):
    assert LAYOUT_CODES.isdisjoint(_issue_codes(books[lang, example]))


@pytest.mark.parametrize("lang", LANGS)
def test_example_template_is_a_usable_cohort_with_one_analysed_patient(books, lang):
    result = load_cohort([("template.xlsx", books[lang, True])])
    try:
        assert result.report.usable and result.report.issues == []
        assert {name: c.kept for name, c in result.report.counts.items()} == {"patients": 1, "visits": 3, "events": 1}
        assert populations(result.cohort).analysed == 1
    finally:
        result.cohort.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_header_is_read_as_its_column(books, lang):
    result = load_cohort([("template.xlsx", books[lang, True])])
    try:
        assert result.cohort.columns_present == {table: frozenset(c.name for c in cols)
                                                 for table, cols in TABLES.items()}
        assert not any(result.cohort.extra_columns.values())
    finally:
        result.cohort.close()


@pytest.mark.parametrize("lang", LANGS)
def test_blank_template_is_only_reported_as_holding_no_data(books, lang):
    result = load_cohort([("template.xlsx", books[lang, False])])
    assert not result.report.usable
    assert sorted((i.code, i.sheet) for i in result.report.issues) == sorted(
        ("header_only", sheet_name(table, lang)) for table in TABLES)


@pytest.mark.parametrize("lang", LANGS)
def test_blank_template_has_the_example_templates_sheets_and_headers(books, lang):
    def headers(content: bytes) -> dict[str, list]:
        book = load_workbook(io.BytesIO(content))
        return {sheet.title: [c.value for c in sheet[1]] for sheet in book.worksheets[1:]}

    blank, example = load_workbook(io.BytesIO(books[lang, False])), books[lang, True]
    assert headers(books[lang, False]) == headers(example)
    assert all(sheet.max_row == 1 for sheet in blank.worksheets[1:])


@pytest.mark.parametrize("lang", LANGS)
def test_headers_are_in_the_chosen_language(books, lang):
    book = load_workbook(io.BytesIO(books[lang, True]))
    other = "en" if lang == "fr" else "fr"
    assert [c.value for c in book[sheet_name("visits", lang)][1]][:3] == [
        header("visits", name, lang) for name in ("patient_id", "month", "cs_dose_mg")]
    assert header("visits", "cs_dose_mg", lang) != header("visits", "cs_dose_mg", other)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(CHOICE_VALUES))
def test_each_drop_down_choice_reads_as_its_canonical_value(lang, kind):
    parsed = parse_column(pd.Series(choices(kind, lang), dtype=object), kind)
    assert not parsed.invalid.any()
    assert tuple(parsed.values) == CHOICE_VALUES[kind]


def _validations(sheet) -> dict[str, list[str]]:
    """Column letter -> the values of its drop-down list."""
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        for cells in validation.sqref.ranges:
            assert cells.min_row == 2 and cells.min_col == cells.max_col
            lists[get_column_letter(cells.min_col)] = validation.formula1.strip('"').split(",")
    return lists


@pytest.mark.parametrize("lang, example", BOTH)
def test_vocabulary_columns_and_only_they_have_drop_down_lists(books, lang, example):
    book = load_workbook(io.BytesIO(books[lang, example]))
    for table, columns in TABLES.items():
        expected = {}
        for position, column in enumerate(columns, start=1):
            if column.name == "cs_drug":
                expected[get_column_letter(position)] = list(CS_DRUG_FACTORS)
            elif column.kind in CHOICE_VALUES:
                expected[get_column_letter(position)] = list(choices(column.kind, lang))
        assert _validations(book[sheet_name(table, lang)]) == expected, table


@pytest.mark.parametrize("lang", LANGS)
def test_drop_down_texts_fit_excels_limits(books, lang):
    book = load_workbook(io.BytesIO(books[lang, True]))
    for sheet in book.worksheets[1:]:
        for validation in sheet.data_validations.dataValidation:
            assert len(validation.formula1) <= 255
            assert len(validation.errorTitle) <= 32 and len(validation.error) <= 255
            # A warning, not a refusal: the reader accepts more spellings than the list.
            assert validation.errorStyle == "warning"


@pytest.mark.parametrize("lang", LANGS)
def test_readme_sheet_comes_first_and_explains_every_column(books, lang):
    book = load_workbook(io.BytesIO(books[lang, True]))
    readme = book.worksheets[0]
    assert normalise(readme.title) in DOCUMENTATION_SHEETS
    rows = {(r[0], r[1]): r for r in readme.iter_rows(values_only=True)
            if r[0] in {sheet_name(table, lang) for table in TABLES}}
    for table, columns in TABLES.items():
        for column in columns:
            row = rows[sheet_name(table, lang), header(table, column.name, lang)]
            assert row[2] == t(f"template.required.{'yes' if column.required else 'no'}", lang)
            assert row[3] == t(f"template.meaning.{table}.{column.name}", lang)
            assert row[5]
    assert rows[sheet_name("visits", lang), header("visits", "c3", lang)][4] == t("template.unit.g_l", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_readme_lists_the_spellings_the_reader_accepts(books, lang):
    readme = load_workbook(io.BytesIO(books[lang, True])).worksheets[0]
    accepted = {r[1]: r[5] for r in readme.iter_rows(values_only=True) if r[0] == sheet_name("visits", lang)}
    response = accepted[header("visits", "cutaneous_response", lang)]
    assert all(word in response for word in ("rc", "partielle", "non repondeur"))
    assert "0" in accepted[header("visits", "c3", lang)] and "10" in accepted[header("visits", "c3", lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_example_rows_are_marked_and_named_in_the_readme(books, lang):
    book = load_workbook(io.BytesIO(books[lang, True]))
    example_id = t("template.example.id", lang)
    for table in TABLES:
        sheet = book[sheet_name(table, lang)]
        assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {example_id}
        assert sheet["A2"].comment.text == t("template.example.note", lang)
        assert sheet["A2"].fill.fgColor.rgb != sheet["A1"].fill.fgColor.rgb
    readme_text = [r[0] for r in book.worksheets[0].iter_rows(values_only=True)]
    assert t("template.readme.example", lang, id=example_id) in readme_text
    blank_readme = load_workbook(io.BytesIO(books[lang, False])).worksheets[0]
    assert t("template.readme.example", lang, id=example_id) not in [r[0] for r in blank_readme.iter_rows(
        values_only=True)]


def test_a_documentation_sheet_of_any_workbook_is_not_read_as_a_table():
    content = xlsx_bytes({"README": [["Column", "Meaning"], ["sex", "F or M"]],
                          "patients": [["patient_id", "sex", "age"], ["P1", "F", 40]]})
    result = load_cohort([("cohort.xlsx", content)])
    assert result.report.issues == [] and list(result.report.counts) == ["patients"]
    result.cohort.close()


def test_a_sheet_not_named_as_documentation_is_still_reported():
    content = xlsx_bytes({"Notes": [["Column", "Meaning"], ["sex", "F or M"]],
                          "patients": [["patient_id", "sex", "age"], ["P1", "F", 40]]})
    assert "unrecognised_table" in _issue_codes(content)


# --- Command line ------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_cli_writes_the_template_that_validate_accepts(tmp_path: Path, capsys, lang):
    out = tmp_path / f"template-{lang}.xlsx"
    assert main(["template", "--out", str(out), "--lang", lang]) == 0
    assert out.read_bytes()[:2] == b"PK"
    capsys.readouterr()
    assert main(["validate", "--json", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["counts"]) == set(TABLES)
    assert LAYOUT_CODES.isdisjoint(i["code"] for i in report["issues"])
    assert header("patients", "sex", lang) in [c.value for c in load_workbook(out)[sheet_name("patients", lang)][1]]


def test_cli_blank_template_has_headers_only(tmp_path: Path, capsys):
    out = tmp_path / "blank.xlsx"
    assert main(["template", "--out", str(out), "--blank"]) == 0
    capsys.readouterr()
    assert main(["validate", "--json", str(out)]) == 1
    assert {i["code"] for i in json.loads(capsys.readouterr().out)["issues"]} == {"header_only"}


def test_cli_template_defaults_to_english(tmp_path: Path):
    out = tmp_path / "t.xlsx"
    main(["template", "--out", str(out)])
    assert load_workbook(out).sheetnames[0] == sheet_name("readme", "en")


def test_cli_unwritable_path_is_a_message_not_a_traceback(tmp_path: Path, capsys):
    assert main(["template", "--out", str(tmp_path / "missing" / "t.xlsx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write") and "Traceback" not in err


@pytest.mark.parametrize("args", [["template"], ["template", "--out", "t.csv"], ["template", "--out", "t.xlsx",
                                                                                 "--lang", "de"]])
def test_cli_template_usage_errors_exit_2(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
