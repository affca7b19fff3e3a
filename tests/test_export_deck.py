"""The slide deck of the demo, in French and English, whole or for a subgroup under
other definitions (a stamp of more than 255 characters): every export is built, every
box lies on its slide, and the file's properties are the export's own."""
from __future__ import annotations

import io

import pytest

from core.demo import load_demo
from core.export.bundle import export_files, prepare_export
from core.filters import parse_filters
from core.poster import load_poster
from core.settings import parse_settings

# A subgroup and definitions whose stamp is longer than a file property may be.
LONG_FILTERS = ("sex=F", "hcq=yes")
LONG_SETTINGS = ("shift_tolerance=0.2", "anti_dsdna_threshold=20", "cs_thresholds=10,5")
# Twelve follow-up months: the Biology and Corticosteroids tables go on over a second slide.
MONTHS = ("response_months=3,6,9,12,15,18,21,24,27,30,33,36",)
VIEWS = {"fr": ("fr", (), ()), "en": ("en", (), ()), "fr-subgroup": ("fr", LONG_FILTERS, LONG_SETTINGS),
         "en-subgroup": ("en", LONG_FILTERS, LONG_SETTINGS), "fr-months": ("fr", (), MONTHS)}


@pytest.fixture(scope="module")
def cohort():
    loaded = load_demo().cohort
    try:
        yield loaded
    finally:
        loaded.close()


@pytest.fixture(scope="module", params=sorted(VIEWS))
def view(request, cohort):
    """(the export's context, its deck) for one view of the demo."""
    from pptx import Presentation

    lang, filters, settings = VIEWS[request.param]
    # With the app's address: the title slide has its QR code and caption to lay out too.
    ctx = prepare_export(cohort, [("demo.csv", b"demo")], lang, parse_filters(list(filters)),
                         parse_settings(list(settings)), meta=load_poster(lang), base_url="https://poster.example.org/")
    return ctx, Presentation(io.BytesIO(export_files(ctx, ["pptx"])[0].data))


def test_a_stamp_longer_than_a_property_still_gives_every_file(cohort):
    from docx import Document
    from openpyxl import load_workbook
    from pptx import Presentation

    ctx = prepare_export(cohort, [("demo.csv", b"demo")], "fr", parse_filters(list(LONG_FILTERS)),
                         parse_settings(list(LONG_SETTINGS)), meta=load_poster("fr") | {"title": "Titre " * 60})
    line = ctx.stamp.line("fr")
    assert len(line) > 255 and len(ctx.poster.title) > 255
    files = {f.name: f.data for f in export_files(ctx, ["pptx", "docx", "tables"])}
    deck = Presentation(io.BytesIO(files["deck.pptx"])).core_properties
    doc = Document(io.BytesIO(files["tables.docx"])).core_properties
    book = load_workbook(io.BytesIO(files["tables.xlsx"])).properties
    for props in (deck, doc, book):
        assert len(props.subject) <= 255 and props.subject.endswith("…")
        assert line.startswith(props.subject[:-1]) and ctx.stamp.short in props.subject
        assert len(props.title) <= 255 and props.title.startswith("Titre Titre")
    # The whole stamp stays on every slide and in the Word footer.
    slides = Presentation(io.BytesIO(files["deck.pptx"])).slides
    assert all(any(shape.has_text_frame and shape.text_frame.text == line for shape in slide.shapes)
               for slide in slides)
    assert Document(io.BytesIO(files["tables.docx"])).sections[0].footer.paragraphs[0].text == line


def _inches(emu: int) -> float:
    return emu / 914_400


def test_every_box_has_a_size_and_lies_on_its_slide_above_the_stamp(view):
    ctx, deck = view
    width, height = _inches(deck.slide_width), _inches(deck.slide_height)
    for number, slide in enumerate(deck.slides, 1):
        stamps = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text == ctx.poster.stamp]
        assert len(stamps) == 1, number
        stamp_top = _inches(stamps[0].top)
        for shape in slide.shapes:
            box = [_inches(x) for x in (shape.left, shape.top, shape.width, shape.height)]
            where = (number, shape.name, [round(x, 2) for x in box])
            assert box[2] > 0 and box[3] > 0, where
            assert box[0] >= 0 and box[1] >= 0 and box[0] + box[2] <= width and box[1] + box[3] <= height, where
            if shape.shape_id != stamps[0].shape_id:
                assert box[1] + box[3] <= stamp_top, where
            if shape.has_table:
                rows = sum(_inches(row.height) for row in shape.table.rows)
                assert abs(rows - box[3]) < 0.01, where  # the frame is as high as its rows


def _drawn_box(shape) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in inches of ``shape`` as drawn: a text box grows
    downwards to hold its text (its type measured as the deck measures it)."""
    from core.export.deck import _text_height

    left, top, width, height = (_inches(x) for x in (shape.left, shape.top, shape.width, shape.height))
    if shape.has_text_frame and shape.text_frame.text:
        size = max(run.font.size.pt for p in shape.text_frame.paragraphs for run in p.runs)
        height = max(height, _text_height(shape.text_frame.text, width, size))
    return left, top, left + width, top + height


def test_no_box_covers_another_the_subgroup_under_the_title_on_its_own_line(view):
    ctx, deck = view
    for number, slide in enumerate(deck.slides, 1):
        boxes = [(shape.name, _drawn_box(shape)) for shape in slide.shapes]
        for k, (name, (l1, t1, r1, b1)) in enumerate(boxes):
            for other, (l2, t2, r2, b2) in boxes[k + 1:]:
                assert min(r1, r2) <= max(l1, l2) or min(b1, b2) <= max(t1, t2), (number, name, other)
    continued = " (suite)" if ctx.poster.lang == "fr" else " (continued)"
    firsts = [slide for slide in list(deck.slides)[1:-1]
              if not next(s.text_frame.text for s in slide.shapes if s.has_text_frame).endswith(continued)]
    for slide, panel in zip(firsts, ctx.poster.panels, strict=True):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert texts[0] == panel.title  # the title alone, never lengthened by the subgroup
        assert (texts[1] == ctx.poster.subgroup) == bool(ctx.poster.subgroup)


def test_the_deck_is_dated_by_its_export_and_counts_its_own_slides(view):
    import zipfile

    ctx, deck = view
    props = deck.core_properties
    assert props.created.date().isoformat() == props.modified.date().isoformat() == ctx.stamp.date
    assert (props.author, props.last_modified_by) == ("", "")
    assert props.comments == props.subject and ctx.stamp.short in props.comments
    data = export_files(ctx, ["pptx"])[0].data
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode("utf-8")
    assert "<Application>The living poster</Application>" in app and "(4:3)" not in app
    assert f"<Slides>{len(deck.slides)}</Slides>" in app
    # No preview picture of the template's own sample slide.
    package = zipfile.ZipFile(io.BytesIO(data))
    assert not any("thumbnail" in name for name in package.namelist())
    assert b"thumbnail" not in package.read("_rels/.rels")


def test_each_chart_is_named_by_its_title_and_drawn_at_a_readable_width(view):
    """A picture's alternative text is its chart's title (not "image.png"); the
    Biology slide's two tall charts go side by side, each wider than 3 in (stacked,
    they came out 2 in wide, their axis text about 6 pt)."""
    ctx, deck = view
    titles = {chart.title for chart in ctx.charts}
    pictures = [(k, shape) for k, slide in enumerate(deck.slides) for shape in slide.shapes
                if shape.shape_type == 13]
    # The title slide's QR code is named by its address.
    assert pictures and {shape._element.nvPicPr.cNvPr.get("descr") for _, shape in pictures} == {
        *titles, f"QR · {ctx.poster.url}"}
    biology = next(k for k, slide in enumerate(deck.slides)
                   if sum(shape.shape_type == 13 for shape in slide.shapes) == 2)
    widths = [_inches(shape.width) for k, shape in pictures if k == biology]
    assert len(widths) == 2 and min(widths) > 3.0


def test_a_table_too_long_for_its_slide_goes_on_over_the_next():
    """With twelve follow-up months the Biology lines and the Corticosteroids tiles do
    not fit one slide even at the smallest type: they go on, whole, on slides headed
    "(suite)" (the table ran 3 in past the slide's bottom)."""
    from pptx import Presentation

    cohort = load_demo().cohort
    try:
        ctx = prepare_export(cohort, [("demo.csv", b"demo")], "fr", settings=parse_settings(list(MONTHS)),
                             meta=load_poster("fr"))
        deck = Presentation(io.BytesIO(export_files(ctx, ["pptx"])[0].data))
    finally:
        cohort.close()
    headings = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    for panel in ("biology", "steroids"):
        title = next(p.title for p in ctx.poster.panels if p.key == panel)
        assert f"{title} (suite)" in headings
    cells = {cell.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells}
    steroids = next(p for p in ctx.poster.panels if p.key == "steroids")
    assert {tile.label for tile in steroids.tiles} <= cells


def test_a_note_too_long_to_share_the_slide_leaves_the_table_its_full_type(cohort):
    """A panel whose table fits its slide but not with its note: the table keeps its
    largest type and the note goes on over a slide headed "(continued)" (the table had
    been drawn at the smallest type, as if its rows did not fit)."""
    from dataclasses import replace

    from pptx import Presentation

    from core.export.deck import _MIN_TABLE_PT, _TABLE_PT, deck_pptx

    ctx = prepare_export(cohort, [("demo.csv", b"demo")], "en", meta=load_poster("en"))
    note = " ".join(["The method of this panel, said at length for the reader."] * 60)
    panels = tuple(replace(p, lines=(note,)) if p.key == "steroids" else p for p in ctx.poster.panels)
    steroids = next(p for p in panels if p.key == "steroids")
    deck = Presentation(io.BytesIO(deck_pptx(replace(ctx.poster, panels=panels), ctx.pngs, ctx.stamp.date)))
    headings = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    first = deck.slides[headings.index(steroids.title)]
    sizes = {run.font.size.pt for shape in first.shapes if shape.has_table for row in shape.table.rows
             for cell in row.cells for run in cell.text_frame.paragraphs[0].runs}
    assert max(sizes) == _TABLE_PT > _MIN_TABLE_PT
    following = deck.slides[headings.index(steroids.title) + 1]
    assert headings[headings.index(steroids.title) + 1] == f"{steroids.title} (continued)"
    assert note in [s.text_frame.text for s in following.shapes if s.has_text_frame]
