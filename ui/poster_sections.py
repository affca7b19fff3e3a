"""The poster's sections, each drawn the same way on the poster page and as one panel of
presentation mode (``DRAW``, in the order of ``core.display.poster.PANELS``).

User text (the metadata's blocks, event descriptions, the subgroup's centre names) is
drawn with ``st.text``, never as Markdown; its size and weight come from fixed CSS on
the keyed containers around it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext

import streamlit as st

from core.charts.theme import AXIS_ROOM, DOMAIN_WIDTH, DOSE_HEIGHT, WIDTH
from core.display.poster import PANELS, definition_lines
from core.i18n import t
from core.schema import RESPONSE_DOMAINS
from ui.charts import chart_columns
from ui.poster import PosterView, draw_chart
from ui.widgets import (COLUMN_GAP_PX, columns_row, fixed_last_column, stack_columns_below, tile_label, tile_row_px,
                        tile_rows, tile_text)

# Style only, no user text: the poster's title, its corticosteroid values and the small print.
POSTER_CSS = """<style>
.st-key-poster_title [data-testid="stText"] * {font-size: 2rem; font-weight: 700; line-height: 1.25;}
.st-key-poster_authors [data-testid="stText"] * {font-size: 1.15rem;}
.st-key-poster_steroids [data-testid="stMetricValue"] {font-size: 1.2rem !important;}
.st-key-poster_abbreviations [data-testid="stText"] *, .st-key-poster_stamp [data-testid="stText"] * {
  font-size: 0.8rem; opacity: 0.85;}
</style>"""


def _plain(lines: Iterable[str], bullet: str = "• ") -> None:
    lines = [line for line in lines if line]
    if lines:
        st.text("\n".join(f"{bullet}{line}" for line in lines))


def _heading(key: str, lang: str) -> None:
    st.subheader(t(key, lang))


def draw_title(poster: PosterView, lang: str) -> None:
    """Title, authors, centres and period, the subgroup and its N."""
    text = poster.text
    with st.container(key="poster_title"):
        st.text(text.title)
    with st.container(key="poster_authors"):
        _plain((text.authors, text.centres), bullet="")
    st.text(f"{poster.subgroup} · {text.analysed}")


def draw_methods(poster: PosterView, lang: str, columns: bool = False) -> None:
    """Introduction, objectives and methods, with the response definitions; with
    ``columns`` (a slide: the poster's longest text, taller than a screen in one
    column), the introduction and objectives, the methods and the definitions side by
    side (those with a text)."""
    text = poster.text
    if not (text.intro or text.objectives or text.design or text.inclusion or text.data_collection
            or text.endpoint or text.definitions):
        st.info(t("poster.no_methods", lang), icon=":material/edit_note:")
    groups = [draw for draw, shown in ((_draw_background, text.intro or text.objectives),
                                       (_draw_design, text.design or text.inclusion or text.data_collection),
                                       (_draw_definitions, text.definitions)) if shown]
    places = st.columns(len(groups)) if columns and groups else [nullcontext()] * len(groups)
    for place, draw in zip(places, groups):
        with place:
            draw(text, lang)


def _draw_background(text, lang: str) -> None:
    if text.intro:
        _heading("poster.section.introduction", lang)
        _plain((text.intro_heading,), bullet="")
        _plain(text.intro)
    if text.objectives:
        _heading("poster.section.objectives", lang)
        _plain(text.objectives)


def _draw_design(text, lang: str) -> None:
    _heading("poster.section.methods", lang)
    _plain((text.design,), bullet="")
    if text.inclusion:
        st.markdown(f"**{t('poster.section.inclusion', lang)}**")
        _plain(text.inclusion)
    _plain((text.data_collection, text.endpoint), bullet="")


def _draw_definitions(text, lang: str) -> None:
    for definition in text.definitions:
        with st.container(border=True):
            st.text(definition.domain)
            _plain(definition_lines(definition, lang))


def draw_baseline(poster: PosterView, lang: str) -> None:
    """The M0 tiles."""
    _heading("poster.section.baseline", lang)
    tile_rows(poster.text.tiles)


def draw_response(poster: PosterView, lang: str) -> None:
    """CR, PR and NR per domain and visit: each domain's chart with its CR + PR in
    numbers under it (the domains side by side where the page has room)."""
    _heading("poster.section.response", lang)
    specs = [poster.charts.get(f"response_{domain}") for domain in RESPONSE_DOMAINS]
    lines = dict(poster.text.response)
    if None in specs:
        draw_chart(None, lang)  # withheld: one note for the section
        for line in lines.values():
            st.markdown(line)
        return
    for column, domain, spec in zip(chart_columns(len(specs), "poster_response", DOMAIN_WIDTH), RESPONSE_DOMAINS,
                                    specs):
        draw_chart(spec, lang, column)
        if domain in lines:
            column.markdown(lines[domain])


def draw_biology(poster: PosterView, lang: str) -> None:
    """The IFN signature, Farr test and complement boxes."""
    _heading("poster.section.biology", lang)
    boxes = poster.text.markers
    for column, box in zip(st.columns(len(boxes)), boxes):
        with column.container(border=True):
            st.markdown(f"**{box.title}**")
            st.write(box.m0)
            for month, lines in box.months:
                st.markdown(f"**{month}**  \n" + "  \n".join(lines))


def draw_steroids(poster: PosterView, lang: str) -> None:
    """Corticosteroid use and dose at each month, and the dose chart beside the months
    where the section is wide enough (``_beside_px``), else under them."""
    _heading("poster.section.steroids", lang)
    months = poster.text.steroids
    stack_columns_below("poster_steroids", _beside_px(len(months)))
    tiles, chart = st.columns(2, gap="large")
    _draw_steroid_months(months, tiles)
    draw_chart(poster.charts.get("steroids"), lang, chart)


def draw_steroid_slide(poster: PosterView, lang: str) -> None:
    """The corticosteroids as a slide: the dose chart beside the months, at its own width,
    where the slide is wide enough (``_slide_beside_px``: from a 1,260 px screen with the
    demo's three months, 1,425 px with a registry's four), else under them; the chart
    takes the screen's height that the months leave (``_slide_steroids_css``)."""
    _heading("poster.section.steroids", lang)
    months = poster.text.steroids
    with st.container(key="slide_steroids"):
        fixed_last_column("slide_steroids", _CHART_BESIDE_PX, _slide_beside_px(len(months)))
        st.html(_slide_steroids_css(len(months)))
        tiles, chart = st.columns(2, gap="small")
    _draw_steroid_months(months, tiles)
    draw_chart(poster.charts.get("steroids"), lang, chart, height="stretch")


# The corticosteroid slide is at least the screen's height less the page's top padding
# (``--slide-top``, ``ui.present``) and the control bar (``_SLIDE_BAR_REM`` high, its stamp on
# two lines): the dose chart takes the height the
# months leave it, up to its own (``DOSE_HEIGHT``), down to ``_DOSE_CHART_MIN_PX``, and is
# drawn at that height (not scaled: its tooltips stay on their marks). Under the months
# on a 1,024 x 768 screen, it ended 132 px under the bar. Where even its least height
# does not fit, the slide grows and scrolls, as any other slide.
_SLIDE_BAR_REM = 4.5
_DOSE_CHART_MIN_PX = 280


def _slide_steroids_css(months: int) -> str:
    """The style of the corticosteroid slide (key ``slide_steroids``) with ``months``:
    its least height, and its chart's where the chart goes under the months. The boxes
    between the slide and the chart's column grow from their content; the column's
    content (the chart drawn at its last height) counts for nothing there, only its
    least height, so that the chart can shrink again. The query names the slide's
    container: a tile's value has a nearer one (``METRIC_CSS``). The smaller numbers
    size their value's box too, over the tile's own size (``!important`` there): its
    line was otherwise as tall as that size, 12 px more per number."""
    block = columns_row("slide_steroids")
    row = block.rsplit(" > ", 1)[0]
    chart = f'{block} > [data-testid="stColumn"]:last-child'
    return f"""<style>
.st-key-slides .st-key-panel_steroids {{min-height: calc(100dvh - var(--slide-top) - {_SLIDE_BAR_REM}rem); flex: 0 0 auto;}}
.st-key-slide_steroids {{container-name: slide_steroids;}}
.st-key-panel_steroids > [data-testid="stLayoutWrapper"]:has(> .st-key-slide_steroids),
.st-key-slide_steroids, {row}, {block} {{flex: 1 1 auto; min-height: 0;}}
{chart} {{max-height: {DOSE_HEIGHT}px; min-height: {_DOSE_CHART_MIN_PX}px; display: flex; flex-direction: column;}}
@container slide_steroids (max-width: {_slide_beside_px(months) - 1}px) {{
  {block} {{flex-direction: column; flex-wrap: nowrap;}}
  {block} > [data-testid="stColumn"]:first-child {{flex: 0 0 auto;}}
  {chart} {{flex: 1 1 0;}}
  {block} > [data-testid="stColumn"]:first-child [data-testid="stVerticalBlock"] {{gap: 0.4rem;}}
  {block} > [data-testid="stColumn"]:first-child [data-testid="stMetricValue"],
  {block} > [data-testid="stColumn"]:first-child [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p
    {{font-size: clamp(1.4rem, min(3.6vh, 2.3vw), 2.4rem) !important;}}
}}
</style>"""


def _draw_steroid_months(months, place) -> None:
    """One bordered box per month, side by side in ``place``, with its tiles."""
    for column, month in zip(place.columns(len(months)), months):
        with column.container(border=True):
            st.markdown(f"**{month.month}**")
            for tile in month.tiles:
                st.metric(tile_label(tile.label), tile_text(tile.value))
                if tile.detail:
                    st.caption(tile.detail)


# Beside the months, the dose chart needs its plot's width and ``AXIS_ROOM``, and a
# month's tiles about 150 px (a registry's 14544/17023): a narrower section puts the
# chart under the months. The section is the screen's width less 460 px with the
# sidebar open: 820 px on a 1,280 px screen.
_CHART_BESIDE_PX, _MONTH_TILE_PX = WIDTH + AXIS_ROOM, 150


def _months_px(months: int) -> int:
    """The width the corticosteroid months need side by side (``_MONTH_TILE_PX`` each)."""
    return months * _MONTH_TILE_PX + (months - 1) * COLUMN_GAP_PX["small"]


def _beside_px(months: int) -> int:
    """The width of the poster's corticosteroid section (key ``poster_steroids``) from
    which its two columns, the months and the chart, sit side by side."""
    return 2 * max(_CHART_BESIDE_PX, _months_px(months)) + COLUMN_GAP_PX["large"]


def _texts_beside_px() -> int:
    """The width of the poster's body (key ``poster_body``) from which the introduction
    and methods sit beside the results: Streamlit gives the results' column two thirds
    less half the gap between the columns, and a row of M0 tiles needs ``tile_row_px``
    (a 780 px body: a 1,240 px screen with the sidebar open)."""
    return -(-3 * (tile_row_px() + COLUMN_GAP_PX["large"] // 2) // 2)


def _slide_beside_px(months: int) -> int:
    """The width of the corticosteroid slide (key ``slide_steroids``) from which the dose
    chart, at its own width, sits beside the months: a slide is the screen less 128 px
    (less a scrollbar's 17 px where the browser draws one beside the page)."""
    return _months_px(months) + COLUMN_GAP_PX["small"] + _CHART_BESIDE_PX


def draw_safety(poster: PosterView, lang: str) -> None:
    """The infectious risk line and the visceral events."""
    _heading("poster.section.safety", lang)
    st.markdown(f"**{poster.text.safety}**")
    if not poster.text.events_recorded:
        return
    st.markdown(f"**{t('poster.section.visceral', lang)}**")
    if poster.text.visceral:
        # Plain text: descriptions are typed by users.
        _plain(poster.text.visceral, bullet="")
    else:
        st.write(t("poster.no_visceral", lang))


def draw_conclusion(poster: PosterView, lang: str) -> None:
    """The authors' conclusion; the findings recomputed for the subgroup when one is
    chosen or the texts have no conclusion; perspectives and abbreviations."""
    text = poster.text
    _heading("poster.section.conclusion", lang)
    _plain(text.conclusion)
    if poster.filtered or not text.conclusion:
        st.markdown(f"**{t('poster.section.findings', lang)}**")
        # Catalogue sentences with numbers: no user text.
        st.markdown("\n".join(f"- {finding}" for finding in text.findings))
    if text.perspectives:
        _heading("poster.section.perspectives", lang)
        _plain(text.perspectives)
    if text.abbreviations:
        st.markdown(f"**{t('poster.section.abbreviations', lang)}**")
        with st.container(key="poster_abbreviations"):
            st.text(text.abbreviations)


DRAW: dict[str, Callable[[PosterView, str], None]] = dict(zip(PANELS, (
    draw_title, lambda poster, lang: draw_methods(poster, lang, columns=True), draw_baseline, draw_response,
    draw_biology, draw_steroid_slide, draw_safety, draw_conclusion,
)))


def draw_poster(poster: PosterView, lang: str) -> None:
    """The whole poster on one screen, laid out like the printed one: title band;
    introduction and methods beside the results; conclusion, perspectives and
    abbreviations; the snapshot stamp."""
    st.html(POSTER_CSS)
    with st.container(border=True):
        draw_title(poster, lang)
    with st.container(key="poster_body"):
        # The results under the texts where their column is too narrow for a row of tiles.
        stack_columns_below("poster_body", _texts_beside_px())
        methods, results = st.columns([1, 2], gap="large")
    with methods:
        draw_methods(poster, lang)
    with results:
        st.header(t("poster.section.results", lang))
        draw_baseline(poster, lang)
        draw_biology(poster, lang)
        draw_safety(poster, lang)
    # The charts need the page's width.
    draw_response(poster, lang)
    with st.container(key="poster_steroids"):
        draw_steroids(poster, lang)
    with st.container(border=True):
        draw_conclusion(poster, lang)
    with st.container(key="poster_stamp"):
        st.text(poster.stamp)
