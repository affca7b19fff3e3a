"""Exports of a registry: what a document carries does not grow with the number of
patients or events. Chart specs hold aggregates, the poster (HTML, PDF, slides) lists
a bounded number of visceral events and the Word tables a bounded number of rows, each
saying so; the CSV and XLSX tables list every event.

Two synthetic registries (``benchmarks/registry_data.py``) of 1,000 and 3,000 patients,
both past every per-patient limit (500 patients for per-patient chart lines, 10 listed
visceral events, 200 rows of a Word table), so that anything fed one row per patient
or event differs between them.
"""
from __future__ import annotations

import io

import pytest

from benchmarks.registry_data import parquet_files, registry_frames
from core.display.safety import VISCERAL_LISTED
from core.export.bundle import export_files, prepare_export
from core.export.tables import DOCUMENT_ROWS
from core.summary import build_summary

# Altair's MaxRowsError threshold: no chart spec may carry more rows than this.
ROW_LIMIT = 5_000
SIZES = (1_000, 3_000)


@pytest.fixture(scope="module")
def exports():
    """Size -> (export context, files of the document formats)."""
    from core.loader import load_cohort

    out = {}
    for n in SIZES:
        files = parquet_files(registry_frames(n, seed=3))
        cohort = load_cohort(files).cohort
        try:
            ctx = prepare_export(cohort, files, "en")
            documents = {f.name: f.data for f in export_files(ctx, ["html", "pptx", "docx", "tables"])}
            if n == SIZES[-1]:
                summaries = (build_summary(cohort), ctx.summary,
                             prepare_export(cohort, files, "en", group="centre").summary)
        finally:
            cohort.close()
        out[n] = ctx, documents
    out["summaries"] = summaries
    return out


def _spec_rows(spec: dict) -> int:
    return sum(len(values) for values in spec.get("datasets", {}).values()) + len(spec.get("data", {}).get("values", ()))


def test_chart_specs_hold_the_same_aggregates_at_any_size(exports):
    rows = {n: {c.name: _spec_rows(c.spec) for c in exports[n][0].charts} for n in SIZES}
    small, large = (rows[n] for n in SIZES)
    assert large and all(count <= ROW_LIMIT for count in large.values())
    assert large == small


def test_the_poster_lists_ten_visceral_events_and_says_how_many_there_are(exports):
    ctx, files = exports[SIZES[-1]]
    total = len(ctx.panels.safety.visceral_events)
    assert total > VISCERAL_LISTED
    safety = next(p for p in ctx.poster.panels if p.key == "safety")
    note = f"{total:,} visceral events: the first {VISCERAL_LISTED} by month are listed"
    assert any(line.startswith(note) for line in safety.lines)
    assert note in files["poster.html"].decode("utf-8")
    first = ctx.panels.safety.visceral_events.iloc[0]
    assert any(line.startswith(f"{first.patient_id}: ") for line in safety.lines)


def test_poster_html_and_slides_do_not_grow_with_the_events(exports):
    from pptx import Presentation

    def counts(n: int) -> tuple:
        ctx, files = exports[n]
        deck = Presentation(io.BytesIO(files["deck.pptx"]))
        paragraphs = sum(len(shape.text_frame.paragraphs) for slide in deck.slides for shape in slide.shapes
                         if shape.has_text_frame)
        notes = sum(len(slide.notes_slide.notes_text_frame.paragraphs) for slide in deck.slides)
        return (tuple(len(p.lines) for p in ctx.poster.panels), files["poster.html"].count(b"<li>"), paragraphs, notes)

    small, large = (counts(n) for n in SIZES)
    assert large == small
    assert len(exports[SIZES[-1]][1]["poster.html"]) < 1.05 * len(exports[SIZES[0]][1]["poster.html"])


def test_word_lists_at_most_its_rows_of_events_and_the_spreadsheets_every_event(exports):
    from docx import Document
    from openpyxl import load_workbook

    rows = {}
    for n in SIZES:
        ctx, files = exports[n]
        events = len(ctx.table("events").frame)
        assert events > DOCUMENT_ROWS
        document = Document(io.BytesIO(files["tables.docx"]))
        rows[n] = [len(table.rows) for table in document.tables]
        assert rows[n][-1] == 1 + DOCUMENT_ROWS  # the header, then the first events
        assert f"{events:,} rows: the first {DOCUMENT_ROWS} are listed" in "\n".join(p.text for p in document.paragraphs)
        csv = files["tables/events.csv"].decode("utf-8-sig")
        assert csv.count("\r\n") == 1 + events
        sheet = load_workbook(io.BytesIO(files["tables.xlsx"]), read_only=True).worksheets[-1]
        assert sum(1 for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]) == events
    assert rows[SIZES[0]] == rows[SIZES[-1]]


def test_the_a0_poster_stays_one_page(exports):
    from pypdf import PdfReader

    ctx, _ = exports[SIZES[-1]]
    assert len(PdfReader(io.BytesIO(export_files(ctx, ["pdf"])[0].data)).pages) == 1


def test_the_exported_summary_is_the_summarize_document_grouped_or_not(exports):
    """The export's summary.json reuses the panels it computed: the same document as
    ``python -m core summarize``, whose Table 1 is never grouped."""
    summarize, exported, grouped = exports["summaries"]
    summarize["details"]["settings"] = None
    assert exported == summarize and grouped == summarize
