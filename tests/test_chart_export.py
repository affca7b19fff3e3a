"""Chart export: the PNG and SVG a user downloads are rendered offline from the spec."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ui import charts


def _chart():
    frame = pd.DataFrame({"visit": ["M3", "M6"], "patients": [17, 14]})
    return alt.Chart(frame).mark_bar().encode(x="visit", y="patients").properties(title="Réponse cutanée")


def test_png_export_is_a_png_image():
    png = charts._png(_chart().to_dict())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_export_keeps_the_chart_title_text():
    svg = charts._svg(_chart().to_dict())
    assert svg.lstrip().startswith("<svg") and "Réponse cutanée" in svg


def test_pdf_export_is_a_pdf_document():
    pdf = charts._pdf(_chart().to_dict())
    assert pdf[:5] == b"%PDF-" and len(pdf) > 1000


def test_every_chart_of_the_response_page_offers_png_svg_and_pdf(open_page):
    app = open_page("pages/response.py")
    charts_drawn = len(app.get("vega_lite_chart"))
    buttons = [b for b in app.get("download_button") if "list_" not in b.proto.id]  # the charts', not a list's
    labels = sorted(b.proto.label for b in buttons)
    assert charts_drawn == 4
    assert labels == ["PDF"] * 4 + ["PNG"] * 4 + ["SVG"] * 4
