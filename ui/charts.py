"""Charts on a page, each with offline export for slides (PNG) and posters (SVG).

The export is rendered by vl-convert in this process (no CDN, no network): the
Vega-Lite spec never leaves the server. It is computed only when the user clicks
(Streamlit's deferred download data), so drawing a page costs nothing extra.
"""
from __future__ import annotations

import streamlit as st

from core.i18n import t

# Twice the screen resolution: sharp on a projector and in a printed poster panel.
_PNG_SCALE = 2


def show_chart(chart, name: str, lang: str, *, container=None, width: str = "stretch") -> None:
    """Draw ``chart`` in ``container`` (the page by default) with PNG and SVG downloads.

    ``chart`` is a Vega-Lite spec (``ui.panel.PanelView.chart``, serialised once per
    session) or an Altair chart (serialised here); the drawing and both exports read
    the same spec. ``name`` is unique on the page: it keys the download buttons and
    names the files (``<name>.png``); it must hold no patient data.
    """
    box = st if container is None else container
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    box.vega_lite_chart(spec, width=width)
    # A row sized to its buttons: fixed-width columns cut "PNG" to "P…" in a half-width chart.
    row = box.container(horizontal=True, gap="small")
    row.download_button(
        t("export.png", lang), data=lambda: _png(spec), file_name=f"{name}.png", mime="image/png",
        key=f"export_{name}_png", on_click="ignore", icon=":material/download:", type="tertiary",
        help=t("export.png_help", lang), width="content",
    )
    row.download_button(
        t("export.svg", lang), data=lambda: _svg(spec), file_name=f"{name}.svg", mime="image/svg+xml",
        key=f"export_{name}_svg", on_click="ignore", icon=":material/download:", type="tertiary",
        help=t("export.svg_help", lang), width="content",
    )


def _png(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=_PNG_SCALE)


def _svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)
