"""The export tables and their writers: spans, grouping, a cohort without events, the
XLSX merged headers, DOCX orientation, and the chart size guard."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from core.demo import load_demo
from core.export.charts import MAX_SPEC_ROWS, chart_spec
from core.export.csv_xlsx import tables_xlsx
from core.export.panels import compute_panels
from core.export.stamp import make_stamp
from core.export.tables import TABLES, ExportTable, export_tables
from core.export.word import tables_docx
from tests.helpers import STEROID_VISITS, small_cohort


@pytest.fixture(scope="module")
def by_sex():
    cohort = load_demo().cohort
    try:
        yield compute_panels(cohort, group="sex")
    finally:
        cohort.close()


def test_every_table_is_exported_in_order_with_a_title(by_sex):
    tables = export_tables(by_sex, "en")
    assert tuple(x.name for x in tables) == TABLES
    assert all(x.title and not x.frame.empty for x in tables)


def test_grouped_table1_spans_all_patients_then_the_groups(by_sex):
    table = export_tables(by_sex, "fr")[0]
    labels = [label for label, _ in table.spans]
    assert labels == ["", f"Patients analysés (N = {by_sex.baseline.table.N})", "Sexe", ""]
    assert [n for _, n in table.spans] == [1, 3, 2, 2]
    # Each group's column gives its N, as the overall one does: the sex row's counts.
    female = by_sex.baseline.table.row("female").overall
    assert female.N == by_sex.baseline.table.N
    assert list(table.frame.columns[4:6]) == [f"Femme (N = {female.n})", f"Homme (N = {female.N - female.n})"]


def test_spans_must_cover_the_columns():
    with pytest.raises(ValueError):
        ExportTable("x", "X", pd.DataFrame({"a": [1], "b": [2]}), spans=(("A", 1),))


def test_xlsx_merges_each_span_over_its_columns(by_sex):
    from openpyxl import load_workbook

    tables = export_tables(by_sex, "en")
    book = load_workbook(io.BytesIO(tables_xlsx(tables, make_stamp([("a", b"1")]), "en", "Poster")))
    merged = {str(r) for r in book.worksheets[0].merged_cells.ranges}
    assert merged == {"B4:D4", "E4:F4", "G4:H4"}
    assert book.worksheets[0]["B4"].value.startswith("Analysed patients")


def test_docx_landscape_swaps_the_page(by_sex):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    tables = export_tables(by_sex, "en")[:1]
    section = Document(io.BytesIO(tables_docx(tables, make_stamp([("a", b"1")]), "en", "T", landscape=True))).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_a_cohort_without_events_table_says_so_instead_of_zeros():
    cohort = small_cohort(STEROID_VISITS)
    try:
        tables = {x.name: x for x in export_tables(compute_panels(cohort), "en")}
    finally:
        cohort.close()
    assert len(tables["safety"].frame) == 1  # follow-up only: no infection can be counted
    assert any("no events table" in note for note in tables["safety"].notes)
    assert tables["events"].frame.empty


def test_a_chart_spec_past_the_row_limit_is_refused():
    import altair as alt

    big = alt.Chart(pd.DataFrame({"x": range(MAX_SPEC_ROWS + 1)})).mark_point().encode(x="x:Q")
    small = alt.Chart(pd.DataFrame({"x": range(10)})).mark_point().encode(x="x:Q")
    with pytest.raises(ValueError, match="aggregate"):
        chart_spec(big, "en")
    assert chart_spec(small, "en")["mark"]["type"] == "point"


def _events_table(n: int) -> ExportTable:
    frame = pd.DataFrame({"Patient": [f"P{k}" for k in range(n)], "Month": ["3"] * n, "Type": ["Infection"] * n})
    return ExportTable("events", "Events", frame, notes=("A note.",))


def test_first_rows_cuts_a_long_table_and_says_where_every_row_is():
    from core.export.tables import first_rows

    short = _events_table(20)
    assert first_rows(short, 20, "en") is short
    cut = first_rows(_events_table(12_345), 20, "en")
    assert list(cut.frame["Patient"]) == [f"P{k}" for k in range(20)]
    assert cut.notes == ("A note.", "12,345 rows: the first 20 are listed here; tables/events.csv and tables.xlsx "
                                    "list them all.")
    assert first_rows(_events_table(12_345), 20, "fr").notes[-1].startswith("12\u202f345 lignes\u202f: les 20 premières")


def test_docx_size_does_not_grow_with_the_number_of_events():
    from docx import Document

    stamp = make_stamp([("a", b"1")])

    def document(n: int):
        return tables_docx([_events_table(n)], stamp, "en", "T", max_rows=30)

    small, large = document(30), document(3_000)
    assert len(Document(io.BytesIO(large)).tables[0].rows) == 1 + 30  # the header, then the first rows
    assert "3,000 rows: the first 30" in "\n".join(p.text for p in Document(io.BytesIO(large)).paragraphs)
    assert len(large) < len(small) + 2_000  # the note, not the rows


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shifts_table_says_why_a_mcnemar_test_is_a_dash(lang):
    """The demo's anti-dsDNA at M3 has paired patients but no discordant pair: its test
    cell is a dash, and a footnote says that no discordant pair means no test."""
    from core.i18n import note_text
    from core.significance import NOTE_NO_DISCORDANT

    cohort = load_demo("fr").cohort
    try:
        panels = compute_panels(cohort)
        change = panels.biology.anti_dsdna.change_at(3)
        assert change.paired > 0 and change.test.p_value is None
        shifts = next(x for x in export_tables(panels, lang) if x.name == "shifts")
    finally:
        cohort.close()
    assert note_text(NOTE_NO_DISCORDANT, lang) in shifts.notes


@pytest.mark.parametrize(("title", "sheet"), [
    ("Tableau 1. Caractéristiques à l’inclusion (M0)", "Tableau 1"),
    ("Table 1. Baseline characteristics (M0)", "Table 1"),
    ("Biologie\u202f: évolution depuis M0", "Biologie évolution depuis M0"),
    ("Clinical response by visit and involvement type", "Clinical response by visit and"),
    ("x" * 40, "x" * 31),
])
def test_xlsx_sheet_names_are_whole_words(title, sheet):
    """Excel takes 31 characters: a long title gives its table's label or whole words,
    never a word cut short ("Tableau 1. Caractéristiques à l")."""
    from core.export.csv_xlsx import _sheet_name

    assert _sheet_name(title, set()) == sheet
    assert len(sheet) <= 31


def test_docx_is_dated_by_its_export_not_by_its_template():
    import datetime as dt
    import zipfile

    from docx import Document

    stamp = make_stamp([("a", b"1")], today=dt.date(2025, 6, 1))
    data = tables_docx([_events_table(3)], stamp, "en", "T")
    props = Document(io.BytesIO(data)).core_properties
    assert props.created.date() == props.modified.date() == dt.date(2025, 6, 1)
    assert (props.author, props.last_modified_by) == ("", "")
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode("utf-8")
    assert "<Application>The living poster</Application>" in app and "Microsoft" not in app
    # No preview picture of the template's own sample page.
    package = zipfile.ZipFile(io.BytesIO(data))
    assert not any("thumbnail" in name for name in package.namelist())
    assert b"thumbnail" not in package.read("_rels/.rels")
