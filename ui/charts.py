"""Charts on a page, each with offline export for slides (PNG) and posters (SVG).

The export is rendered by vl-convert in this process (no CDN, no network): the
Vega-Lite spec never leaves the server. It is computed only when the user clicks
(Streamlit's deferred download data), so drawing a page costs nothing extra.
"""
from __future__ import annotations

import streamlit as st

from core.charts.theme import AXIS_ROOM, DOMAIN_WIDTH, WIDTH
from core.display.suppressed import chart_withheld_note
from core.i18n import t
from core.schema import RESPONSE_DOMAINS
from core.suppression import active
from ui.forget import idle_minutes
from ui.settings import current_settings
from ui.state import SessionMemo, this_session
from ui.widgets import COLUMN_GAP_PX, stack_columns_below

# Twice the screen resolution: sharp on a projector and in a printed poster panel.
_PNG_SCALE = 2
# Style only. A chart drawn at its own width ("content": the transition matrices, the
# patient grid) that is wider than its column scrolls sideways in its own frame on a
# screen narrower than 1,024 px; else the whole page would (on a phone, or with the
# sidebar open). From 1,024 px such a chart reaches at most into the page's margin,
# shown whole.
CHART_CSS = """<style>
@media (max-width: 1023.98px) {
  [data-testid="stFullScreenFrame"] > div:has(> [data-testid="stVegaLiteChart"]) {overflow-x: auto;}
}
</style>"""


def scroll_wide_charts() -> None:
    """Let this run's charts scroll sideways when wider than their column (``CHART_CSS``);
    the style takes no room on the page."""
    st.html(CHART_CSS)


def chart_columns(count: int, key: str, plot_width: int = WIDTH // 2) -> list:
    """``count`` columns for charts whose plots are ``plot_width`` wide, side by side
    where the page leaves each its plot's width and ``AXIS_ROOM``, else one under the
    other: on a 1,024 px screen, two half-width charts, or the two response domains,
    would get 274 px each."""
    box = st.container(key=key)
    with box:
        stack_columns_below(key, count * (plot_width + AXIS_ROOM) + (count - 1) * COLUMN_GAP_PX["small"])
    return box.columns(count)


def response_domain_specs(view, result, lang: str) -> dict[str, dict]:
    """The spec of each response domain's bars (``core.charts.response.domain_chart``)
    by domain, built once for the Response page and the poster (``PanelView.chart``)."""
    from core.charts.response import domain_chart

    return {domain: view.chart(f"response_by_visit_{domain}", lambda domain=domain: domain_chart(result, domain, lang))
            for domain in RESPONSE_DOMAINS}


def show_response_domains(view, result, lang: str) -> None:
    """The Response page's bars: each domain's chart with its exports, side by side where
    the page has room (``chart_columns``); under small-cell suppression, one note."""
    if active(view.settings.min_cell):
        st.caption(chart_withheld_note(lang))
        return
    specs = response_domain_specs(view, result, lang)
    for column, (domain, spec) in zip(chart_columns(len(specs), "response_bars", DOMAIN_WIDTH), specs.items()):
        show_chart(spec, f"response_by_visit_{domain}", lang, container=column)


def show_chart(chart, name: str, lang: str, *, container=None, width: str = "stretch") -> None:
    """Draw ``chart`` in ``container`` (the page by default) with PNG, SVG and PDF downloads.

    ``chart`` is a Vega-Lite spec (``ui.panel.PanelView.chart``, serialised once per
    session) or an Altair chart (serialised here); the drawing and both exports read
    the same spec. ``name`` is unique on the page: it keys the download buttons and
    names the files (``<name>.png``); it must hold no patient data.
    """
    box = st if container is None else container
    if active(current_settings().min_cell):
        # Bar heights, marks and labels show counts: no chart under small-cell suppression.
        box.caption(chart_withheld_note(lang))
        return
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    box.vega_lite_chart(spec, width=width)
    # A row sized to its buttons: fixed-width columns cut "PNG" to "P…" in a half-width chart.
    row = box.container(horizontal=True, gap="small")
    session = this_session()  # bound here: the file is rendered on click, outside this run
    for fmt, mime in _FORMATS:
        row.download_button(
            t(f"export.{fmt}", lang), data=lambda fmt=fmt: _render(session, fmt, spec), file_name=f"{name}.{fmt}",
            mime=mime, key=f"export_{name}_{fmt}", on_click="ignore", icon=":material/download:", type="tertiary",
            help=t(f"export.{fmt}_help", lang), width="content",
        )


def _render(session: SessionMemo, fmt: str, spec: dict) -> bytes | str:
    """The chart file, in a download's thread; refused once the session has forgotten
    its cohort or after too long idle (``SessionMemo.check_download``)."""
    session.check_download(idle_minutes() * 60)
    return _RENDER[fmt](spec)


def _png(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=_PNG_SCALE)


def _svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def _pdf(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_pdf(spec)


# PNG for slides, SVG and PDF (vector) for a printed poster.
_FORMATS = (("png", "image/png"), ("svg", "image/svg+xml"), ("pdf", "application/pdf"))
_RENDER = {"png": _png, "svg": _svg, "pdf": _pdf}
