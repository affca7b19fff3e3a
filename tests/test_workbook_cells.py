"""Workbook cells the reader shows as blank although they hold something: formulas saved
without a computed value, and Excel error values. Each is a located warning."""
from __future__ import annotations

import pytest

from core.loader import load_cohort
from core.report import WARNING
from tests.helpers import inline_row, raw_xlsx

HEADER = inline_row(1, "patient_id", "sex", "age")


def _row(number: int, patient: str, age_cell: str) -> str:
    """A patient row whose age cell (column C) is written as given."""
    return inline_row(number, patient, "F")[:-len("</row>")] + age_cell.format(ref=f"C{number}") + "</row>"


def _load(sheet_xml: str, sheet: str = "patients"):
    return load_cohort([("cohort.xlsx", raw_xlsx({sheet: sheet_xml}))])


def _flagged(result) -> list[tuple[str, int, str | None, str | None]]:
    return [(i.code, i.row, i.column, i.value) for i in result.report.issues
            if i.code in ("formula_not_computed", "spreadsheet_error_value")]


def test_a_formula_with_no_stored_value_is_reported_where_it_is():
    result = _load(HEADER + _row(2, "P1", '<c r="{ref}"><f>40+2</f></c>') + inline_row(3, "P2", "M", 50))
    assert _flagged(result) == [("formula_not_computed", 2, "age", None)]
    issue = next(i for i in result.report.issues if i.code == "formula_not_computed")
    assert (issue.severity, issue.file, issue.sheet) == (WARNING, "cohort.xlsx", "patients")
    assert issue.text("en").startswith("Cell C2 holds a formula with no computed value")
    assert issue.text("fr").startswith("La cellule C2 contient une formule sans valeur calculée")
    ages = result.cohort.con.execute("SELECT patient_id, age FROM patients ORDER BY patient_id").fetchall()
    assert ages == [("P1", None), ("P2", 50.0)]


def test_a_shared_formula_with_no_stored_value_is_reported():
    result = _load(HEADER + _row(2, "P1", '<c r="{ref}"><f t="shared" ref="C2:C3" si="0">40+2</f></c>')
                   + _row(3, "P2", '<c r="{ref}"><f t="shared" si="0"/></c>'))
    assert [(code, row) for code, row, _, _ in _flagged(result)] == [("formula_not_computed", 2),
                                                                  ("formula_not_computed", 3)]


@pytest.mark.parametrize("cell", [
    '<c r="{ref}"><f>40+2</f><v></v></c>',  # as openpyxl saves a formula
    '<c r="{ref}" t="n"><f>40+2</f><v/></c>',
    '<c r="{ref}"><f>40+2</f>\n  <v>\n  </v>\n</c>',
    '<c r="{ref}"><f>40+2</f><v> </v></c>',
    '<c r="{ref}"><f>40+2</f><v xml:space="preserve"></v></c>',
])
def test_a_formula_with_an_empty_stored_value_is_reported_where_it_is(cell):
    result = _load(HEADER + _row(2, "P1", cell) + inline_row(3, "P2", "M", 50))
    assert _flagged(result) == [("formula_not_computed", 2, "age", None)]


def test_formulas_of_a_workbook_saved_by_openpyxl_are_reported():
    from tests.helpers import xlsx_bytes

    content = xlsx_bytes({"patients": [["patient_id", "sex", "age"], ["P1", "F", "=2021-1960"], ['="P"&2', "M", 50]]})
    result = load_cohort([("cohort.xlsx", content)])
    assert [(code, row, column) for code, row, column, _ in _flagged(result)] == [
        ("formula_not_computed", 2, "age"), ("formula_not_computed", 3, "patient_id")]


def test_a_text_formula_computed_to_an_empty_text_is_a_blank_cell_without_a_word():
    result = _load(HEADER + _row(2, "P1", '<c r="{ref}" t="str"><f>IF(1,"","x")</f><v></v></c>')
                   + inline_row(3, "P2", "M", 50))
    assert _flagged(result) == []


@pytest.mark.parametrize("cell", [
    '<c r="{ref}"><f>40+2</f><v>42</v></c>',
    '<c r="{ref}" t="str"><f>TEXT(42,"0")</f><v>42</v></c>',
    '<c r="{ref}"><v>42</v></c>',
])
def test_a_computed_formula_or_plain_value_is_read_without_a_word(cell):
    result = _load(HEADER + _row(2, "P1", cell))
    assert _flagged(result) == []
    assert result.cohort.con.execute("SELECT age FROM patients").fetchone() == (42.0,)


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!"])
def test_an_error_value_is_reported_with_the_error(error):
    result = _load(HEADER + _row(2, "P1", f'<c r="{{ref}}" t="e"><f>A1/0</f><v>{error}</v></c>')
                   + _row(3, "P2", f'<c r="{{ref}}" t="e"><v>{error}</v></c>'))
    assert _flagged(result) == [("spreadsheet_error_value", 2, "age", error), ("spreadsheet_error_value", 3, "age", error)]
    issue = next(i for i in result.report.issues if i.code == "spreadsheet_error_value")
    assert issue.text("en") == f"Cell C2 holds the spreadsheet error {error}; the value is left missing."
    assert issue.text("fr") == f"La cellule C2 contient l'erreur de tableur {error}\u202f; la valeur est laissée manquante."


def test_a_flagged_cell_below_a_title_row_keeps_its_spreadsheet_row():
    title = inline_row(1, "Registre lupus 2024")
    header = inline_row(2, "patient_id", "sex", "age")
    result = _load(title + header + _row(3, "P1", '<c r="{ref}" t="e"><v>#N/A</v></c>'))
    assert _flagged(result) == [("spreadsheet_error_value", 3, "age", "#N/A")]


def test_a_flagged_cell_without_a_header_is_named_by_its_column_letter():
    row = inline_row(2, "P1", "F", 40)[:-len("</row>")] + '<c r="E2" t="e"><v>#NAME?</v></c></row>'
    result = _load(HEADER + row)
    assert _flagged(result) == [("spreadsheet_error_value", 2, "E", "#NAME?")]


def test_a_sheet_whose_only_values_are_uncomputed_formulas_says_why_it_is_empty():
    result = _load('<row r="1"><c r="A1"><f>"patient_id"</f></c><c r="B1"><f>"age"</f></c></row>')
    codes = [i.code for i in result.report.issues]
    assert codes.count("formula_not_computed") == 2
    assert "empty_file" in codes


def test_cells_are_found_in_every_chunk_of_a_large_sheet():
    # About 6 MB of sheet XML, read in 1 MB chunks: an error cell near the start, the
    # middle and the end is found each time.
    errors = {5, 20_000, 39_999}
    rows = "".join(_row(r, f"P{r}", '<c r="{ref}" t="e"><v>#N/A</v></c>') if r in errors
                   else inline_row(r, f"P{r}", "F", 20 + r % 70) for r in range(2, 40_001))
    result = _load(HEADER + rows)
    assert [row for _, row, _, _ in _flagged(result)] == sorted(errors)
    assert result.report.counts["patients"].kept == 39_999


def test_a_formula_whose_result_is_an_inline_string_is_computed():
    """A text formula's result kept as an inline string (<is>) is its value: read, not
    reported, even in a sheet the quick look sends to the exact scan (a text value
    ending with a space)."""
    from core.loader import load_cohort
    from tests.helpers import raw_xlsx

    header = inline_row(1, "patient_id", "sex", "age", "note")
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>P1</t></is></c><c r="B2" t="inlineStr"><f>"F"</f>'
           '<is><t>F</t></is></c><c r="C2"><v>40</v></c><c r="D2" t="str"><v>ok </v></c></row>')
    result = load_cohort([("cohort.xlsx", raw_xlsx({"patients": header + row}))])
    assert [i.code for i in result.report.issues if i.code == "formula_not_computed"] == []
    assert result.cohort.con.execute("SELECT sex, age FROM patients").fetchall() == [("F", 40.0)]
