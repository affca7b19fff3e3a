"""The poster of a subgroup with a public address: QR code to the live view on the
poster and the title slide; user text shown as typed in HTML and PDF."""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from core.demo import load_demo
from core.export.bundle import export_files, prepare_export
from core.export.poster_html import poster_html
from core.export.poster_pdf import poster_pdf
from core.filters import parse_filters
from core.poster import load_poster

ADDRESS = "https://poster.example.org/app"
TRICKY = "<script>alert(1)</script> #set page(width: 1cm) *x* $y$ \\ [z]"


@pytest.fixture(scope="module")
def ctx():
    cohort = load_demo().cohort
    try:
        yield prepare_export(cohort, [("demo.csv", b"demo")], "en", parse_filters(["sex=F"]),
                             meta=load_poster("en"), base_url=ADDRESS)
    finally:
        cohort.close()


def test_the_live_address_carries_the_language_and_the_subgroup(ctx):
    assert ctx.poster.url == f"{ADDRESS}?lang=en&sex=F" and ctx.stamp.url == ctx.poster.url


def test_html_poster_has_the_qr_code_and_names_the_subgroup(ctx):
    page = export_files(ctx, ["html"])[0].data.decode("utf-8")
    assert 'class="segno"' in page and "sex=F" in page
    assert "Subgroup: Sex: Female" in page


def test_title_slide_has_the_qr_code(ctx):
    from pptx import Presentation

    deck = Presentation(io.BytesIO(export_files(ctx, ["pptx"])[0].data))
    title = deck.slides[0]
    assert any(shape.shape_type == 13 for shape in title.shapes)  # the QR picture
    assert all(not any(shape.shape_type == 13 for shape in slide.shapes) for slide in list(deck.slides)[-1:])


def test_pdf_poster_draws_the_qr_code(ctx):
    from pypdf import PdfReader

    from core.export.live import qr_svg

    with_qr = PdfReader(io.BytesIO(poster_pdf(ctx.poster, {}, ctx.stamp.short, qr_svg(ctx.poster.url))))
    without = PdfReader(io.BytesIO(poster_pdf(dataclasses.replace(ctx.poster, url=None), {}, ctx.stamp.short)))
    assert "Live view with these filters" in with_qr.pages[0].extract_text()
    assert "Live view with these filters" not in without.pages[0].extract_text()


def test_html_escapes_user_text(ctx):
    poster = dataclasses.replace(ctx.poster, title=TRICKY, authors=("<b>A</b>",))
    page = poster_html(poster, {}).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;A&lt;/b&gt;" in page


def test_pdf_shows_typst_markup_in_user_text_as_typed(ctx):
    from pypdf import PdfReader

    poster = dataclasses.replace(ctx.poster, title=TRICKY)
    reader = PdfReader(io.BytesIO(poster_pdf(poster, {}, ctx.stamp.short)))
    text = "".join(reader.pages[0].extract_text().split())
    assert "".join(TRICKY.split()) in text
    assert abs(float(reader.pages[0].mediabox.width) - 2384) < 2


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("filters", [(), ("sex=F",), ("sex=F", "hcq=yes")])
def test_the_a0_poster_is_one_page_whole_or_for_a_subgroup(lang, filters):
    """A subgroup adds a line to the header and a conclusion recomputed with its
    numbers: the poster stays on one page, the abbreviations and stamp on it."""
    from pypdf import PdfReader

    cohort = load_demo().cohort
    try:
        ctx = prepare_export(cohort, [("demo.csv", b"demo")], lang, parse_filters(list(filters)),
                             meta=load_poster(lang))
    finally:
        cohort.close()
    reader = PdfReader(io.BytesIO(export_files(ctx, ["pdf"])[0].data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert ctx.stamp.short in text and ctx.poster.abbreviations[-1][0] in text


def test_a_long_title_still_gives_one_page(ctx):
    from pypdf import PdfReader

    poster = dataclasses.replace(ctx.poster, title=" ".join(["A much longer poster title"] * 8))
    reader = PdfReader(io.BytesIO(poster_pdf(poster, ctx.svgs, ctx.stamp.short)))
    assert len(reader.pages) == 1 and "".join(poster.title.split()) in "".join(reader.pages[0].extract_text().split())


def test_the_poster_draws_its_charts_in_its_own_fonts(ctx):
    """Typst draws an SVG's text in a font it has: the charts are laid out in the
    poster's fonts, the ones its text uses, so that a label keeps its room (laid out in
    the theme's font, absent, "Analysés (efficacité)" lost its first letter)."""
    import re

    from core.export.poster_pdf import POSTER_FONTS, _data

    assert _data(ctx.poster, ctx.stamp.short)["fonts"] == list(POSTER_FONTS)
    assert "font: data.fonts" in (Path(__file__).parents[1] / "core/export/templates/poster.typ").read_text()
    for name, svg in ctx.poster_svgs.items():
        families = set(re.findall(r'font-family="([^"]*)"', svg))
        assert families == {", ".join(POSTER_FONTS)}, name


def test_a_tile_breaks_between_its_parts_only():
    """A tile's detail wraps at " · ", never inside "N = 22" or "RC 8/17"; a label
    never leaves a short last word alone ("Signature IFN" / "+")."""
    import re

    from pypdf import PdfReader

    cohort = load_demo().cohort
    try:
        view = prepare_export(cohort, [("demo.csv", b"demo")], "fr", meta=load_poster("fr"))
        pdf = next(f for f in export_files(view, ["pdf"]) if f.name == "poster.pdf").data
    finally:
        cohort.close()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for broken in (r"N\s*\n\s*=", r"RC\s*\n\s*\d", r"IFN\s*\n\s*\+"):
        assert re.search(broken, text) is None, broken


def test_a_qr_code_under_other_definitions_says_the_live_view_has_the_defaults(ctx):
    """A shared link carries the filters, not the definitions: a poster computed under
    other definitions says so beside its QR code, on every file that draws it."""
    from pptx import Presentation
    from pypdf import PdfReader

    from core.export.live import qr_svg
    from core.settings import parse_settings

    assert ctx.poster.qr_caption == "Live view with these filters"
    cohort = load_demo().cohort
    try:
        other = prepare_export(cohort, [("demo.csv", b"demo")], "en", parse_filters(["sex=F"]),
                               parse_settings(["anti_dsdna_threshold=20"]), meta=load_poster("en"),
                               base_url=ADDRESS)
        files = {f.name: f.data for f in export_files(other, ["html", "pptx"])}
    finally:
        cohort.close()
    caption = "Live view with these filters, under the default definitions"
    assert other.poster.qr_caption == caption
    assert caption in files["poster.html"].decode("utf-8")
    deck = Presentation(io.BytesIO(files["deck.pptx"]))
    assert any(shape.has_text_frame and shape.text_frame.text == caption for shape in deck.slides[0].shapes)
    pdf = PdfReader(io.BytesIO(poster_pdf(other.poster, {}, other.stamp.short, qr_svg(other.poster.url))))
    assert "under the default definitions" in " ".join(pdf.pages[0].extract_text().split())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_abbreviation_without_its_meaning_stands_alone_on_the_posters(ctx, lang):
    """As on the poster page: "LS : Lupus, GN", never "GN :" with nothing after it."""
    from core.export.content import abbreviations_text

    poster = dataclasses.replace(ctx.poster, lang=lang, abbreviations=(("LS", "Lupus"), ("GN", "")))
    colon = "\u202f: " if lang == "fr" else ": "
    assert abbreviations_text(poster) == f"LS{colon}Lupus, GN"
    assert f"LS{colon}Lupus, GN</p>" in poster_html(poster, ctx.svgs).decode("utf-8")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_month_nobody_was_assessed_at_leaves_no_stray_space_in_the_notes(lang):
    """The speaker notes' CR + PR clause of a month without patients has no interval:
    "Cutaneous M12: 0/0; ...", not "0/0  ; ..." with the empty interval's space."""
    from core.export.content import _ci_note
    from core.export.panels import compute_panels
    from core.settings import Settings

    cohort = load_demo().cohort
    try:
        panels = compute_panels(cohort, settings=Settings(response_months=(3, 6, 12)))
    finally:
        cohort.close()
    note = _ci_note(panels.response, lang)
    assert "  " not in note and not note.endswith(" ")
    assert note.endswith("M12\u202f: 0/0" if lang == "fr" else "M12: 0/0")
