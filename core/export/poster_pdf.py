"""The poster as an A0 PDF (841 x 1189 mm), compiled on the server by Typst.

The template is ``templates/poster.typ`` in this repository (no Typst package import,
so nothing is downloaded). The poster's content reaches it as JSON and the charts as
SVG strings, all through Typst's ``sys.inputs``: the source, data and images stay in
memory, no temporary file is written, and no text is ever read as Typst markup.
Typst embeds (subsets of) the fonts it uses in the PDF.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from core.export.content import PosterContent, abbreviations_text
from core.i18n import t

TEMPLATE = Path(__file__).resolve().parent / "templates" / "poster.typ"
# The poster's fonts, the first one present used (the template's text, and its charts).
# Typst draws an SVG's text in a font it has: a chart laid out by vl-convert in the
# theme's font, absent here, came out in a wider one and lost the ends of its labels
# ("nalysés (efficacité)"); laid out and drawn in the same font, it fits.
POSTER_FONTS = ("Source Sans Pro", "Source Sans 3", "DejaVu Sans", "Libertinus Serif")


class PosterPdfError(RuntimeError):
    """Typst could not compile the poster (a template or content problem)."""


def poster_pdf(poster: PosterContent, svgs: dict[str, str], stamp_short: str, qr_svg: str | None = None) -> bytes:
    """The A0 PDF of ``poster``; ``svgs`` maps chart names to SVG documents, their text
    in the poster's fonts (``poster_svgs``)."""
    import typst

    inputs = {"data": json.dumps(_data(poster, stamp_short), ensure_ascii=False)}
    inputs |= {f"chart:{name}": svg for name, svg in svgs.items()}
    if poster.url and qr_svg:
        inputs["qr"] = qr_svg
    try:
        return typst.compile(TEMPLATE.read_bytes(), format="pdf", sys_inputs=inputs)
    except typst.TypstError as exc:
        # Typst's diagnostic names the template line; it never quotes cohort data.
        raise PosterPdfError(exc.message) from None


def poster_svgs(charts, lang: str) -> dict[str, str]:
    """The SVG of each chart (``core.export.charts.PosterChart``) by name, its text in
    ``POSTER_FONTS`` as the poster's: what ``poster_pdf`` draws."""
    from core.export.charts import chart_svg

    font = ", ".join(POSTER_FONTS)
    return {c.name: chart_svg({**c.spec, "config": {**c.spec.get("config", {}), "font": font}}, lang)
            for c in charts}


def _data(poster: PosterContent, stamp_short: str) -> dict:
    data = dataclasses.asdict(poster)
    data["fonts"] = list(POSTER_FONTS)
    data["where"] = " · ".join(filter(None, (poster.centres, poster.period)))
    data["stamp_short"] = stamp_short
    data["abbreviations_line"] = abbreviations_text(poster)
    data["words"] = {key: t(f"exports.poster.{key}", poster.lang)
                     for key in ("results", "abbreviations", "definitions")}
    data["words"]["qr"] = poster.qr_caption
    return data
