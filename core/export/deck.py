"""The talk's slide deck (python-pptx, 16:9): a title slide, one slide per result
panel with its chart (PNG) and a native table of its headline numbers, a conclusion
slide; speaker notes hold the panel's numbers and method, and every slide carries
the snapshot stamp. The title slide has the QR code to the live view when the app
has a public address.
"""
from __future__ import annotations

import io
import struct

from core.export.content import PanelContent, PosterContent
from core.export.live import qr_png
from core.export.stamp import property_text
from core.i18n import t

_WIDTH_IN, _HEIGHT_IN = 13.333, 7.5
_MARGIN_IN = 0.4
_TITLE_PT, _BODY_PT, _TABLE_PT, _STAMP_PT = 30, 18, 13, 9
_GREY = (0x55, 0x55, 0x55)


def deck_pptx(poster: PosterContent, pngs: dict[str, bytes]) -> bytes:
    """The deck of ``poster``, charts from ``pngs`` (chart name -> PNG bytes)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(_WIDTH_IN), Inches(_HEIGHT_IN)
    prs.core_properties.title = property_text(poster.title)
    prs.core_properties.subject = property_text(poster.stamp)
    prs.core_properties.author = ""
    _title_slide(prs, poster)
    for panel in poster.panels:
        _panel_slide(prs, poster, panel, pngs)
    _conclusion_slide(prs, poster)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _title_slide(prs, poster: PosterContent) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: every box placed here
    _text(slide, poster.title, _MARGIN_IN, 1.6, _WIDTH_IN - 2 * _MARGIN_IN, 1.6, 36, bold=True)
    lines = [", ".join(poster.authors), " · ".join(filter(None, (poster.centres, poster.period))),
             poster.subgroup, poster.note]
    _text(slide, "\n".join(x for x in lines if x), _MARGIN_IN, 3.4, _WIDTH_IN - 2 * _MARGIN_IN - 2.6, 2.6, _BODY_PT)
    if poster.url:
        size = 2.2
        left, top = _WIDTH_IN - _MARGIN_IN - size, _HEIGHT_IN - 0.9 - size
        slide.shapes.add_picture(io.BytesIO(qr_png(poster.url)), Inches(left), Inches(top), Inches(size), Inches(size))
        _text(slide, t("exports.poster.qr", poster.lang), left, top + size, size, 0.3, 10)
    _stamp(slide, poster)
    slide.notes_slide.notes_text_frame.text = "\n".join(filter(None, (poster.title, *lines, poster.stamp)))


def _panel_slide(prs, poster: PosterContent, panel: PanelContent, pngs: dict[str, bytes]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    title = panel.title + (f" · {poster.subgroup}" if poster.subgroup else "")
    _text(slide, title, _MARGIN_IN, 0.25, _WIDTH_IN - 2 * _MARGIN_IN, 0.8, _TITLE_PT, bold=True)
    top, bottom = 1.15, _HEIGHT_IN - 0.55
    charts = [pngs[name] for name in panel.charts if name in pngs]
    chart_width = (_WIDTH_IN - 2 * _MARGIN_IN) * (0.58 if charts else 0)
    if charts:
        _pictures(slide, charts, _MARGIN_IN, top, chart_width, bottom - top)
    left = _MARGIN_IN + chart_width + (0.3 if charts else 0)
    width = _WIDTH_IN - _MARGIN_IN - left
    if panel.tiles:
        height = _table(slide, [(x.label, x.value, x.detail) for x in panel.tiles], left, top, width, bottom - top)
        if panel.lines:
            _text(slide, "\n".join(panel.lines), left, top + height + 0.2, width, bottom - top - height - 0.2,
                  _TABLE_PT)
    elif panel.lines:
        _table(slide, [(line,) for line in panel.lines], left, top, width, bottom - top)
    _stamp(slide, poster)
    slide.notes_slide.notes_text_frame.text = "\n".join((*panel.notes, poster.stamp))


def _conclusion_slide(prs, poster: PosterContent) -> None:
    block = poster.conclusion
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, block.heading, _MARGIN_IN, 0.25, _WIDTH_IN - 2 * _MARGIN_IN, 0.8, _TITLE_PT, bold=True)
    lines = (*block.paragraphs, *(f"• {line}" for line in block.bullets))
    _text(slide, "\n".join(lines), _MARGIN_IN, 1.2, _WIDTH_IN - 2 * _MARGIN_IN, _HEIGHT_IN - 1.9, _BODY_PT + 2)
    _stamp(slide, poster)
    slide.notes_slide.notes_text_frame.text = "\n".join((*lines, poster.stamp))


def _text(slide, text: str, left: float, top: float, width: float, height: float, size: float,
          *, bold: bool = False, colour=None):
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for k, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        if colour is not None:
            run.font.color.rgb = RGBColor(*colour)
    return box


def _stamp(slide, poster: PosterContent) -> None:
    _text(slide, poster.stamp, _MARGIN_IN, _HEIGHT_IN - 0.45, _WIDTH_IN - 2 * _MARGIN_IN, 0.35, _STAMP_PT,
          colour=_GREY)


def _png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def _pictures(slide, images: list[bytes], left: float, top: float, width: float, height: float) -> None:
    """``images`` stacked in the box, each scaled to fit its share and centred."""
    from pptx.util import Inches

    share = height / len(images)
    for k, data in enumerate(images):
        w_px, h_px = _png_size(data)
        scale = min(width / w_px, share / h_px)
        w, h = w_px * scale, h_px * scale
        slide.shapes.add_picture(io.BytesIO(data), Inches(left + (width - w) / 2), Inches(top + k * share),
                                 Inches(w), Inches(h))


def _table(slide, rows: list[tuple[str, ...]], left: float, top: float, width: float, height: float) -> float:
    """A native table of ``rows`` (label, the value in bold, the detail in smaller type,
    or one column of lines); returns its height in inches."""
    from pptx.util import Inches, Pt

    n_cols = len(rows[0])
    row_height = min(0.55, height / len(rows))
    shape = slide.shapes.add_table(len(rows), n_cols, Inches(left), Inches(top), Inches(width),
                                   Inches(row_height * len(rows)))
    table = shape.table
    table.first_row = False
    shares = (0.42, 0.2, 0.38) if n_cols == 3 else (1.0,)
    for col, share in enumerate(shares):
        table.columns[col].width = Inches(width * share)
    size = _TABLE_PT if len(rows) <= 10 else _TABLE_PT - 2
    for r, values in enumerate(rows):
        for col, value in enumerate(values):
            frame = table.cell(r, col).text_frame
            frame.word_wrap = True
            run = frame.paragraphs[0].add_run()
            run.text = value
            run.font.size = Pt(size - (2 if col == 2 else 0))
            run.font.bold = col == 1
    return row_height * len(rows)
