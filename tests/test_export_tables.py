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
    assert list(table.frame.columns[4:6]) == ["Femme", "Homme"]


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
    assert first_rows(_events_table(12_345), 20, "fr").notes[-1].startswith("12\u202f345 lignes : les 20 premières")


def test_docx_size_does_not_grow_with_the_number_of_events():
    from docx import Document

    stamp = make_stamp([("a", b"1")])

    def document(n: int):
        return tables_docx([_events_table(n)], stamp, "en", "T", max_rows=30)

    small, large = document(30), document(3_000)
    assert len(Document(io.BytesIO(large)).tables[0].rows) == 1 + 30  # the header, then the first rows
    assert "3,000 rows: the first 30" in "\n".join(p.text for p in Document(io.BytesIO(large)).paragraphs)
    assert len(large) < len(small) + 2_000  # the note, not the rows


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
