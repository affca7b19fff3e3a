"""The talk's slide deck (python-pptx, 16:9): a title slide, one slide per result
panel with its chart (PNG) and a native table of its headline numbers, a conclusion
slide; speaker notes hold the panel's numbers and method, and every slide carries
the snapshot stamp. The title slide has the QR code to the live view when the app
has a public address.
"""
from __future__ import annotations

import io
import math
import struct
from bisect import bisect_right
from itertools import accumulate

from core.export.content import PanelContent, PosterContent
from core.export.live import qr_png
from core.export.office import app_properties, date_properties
from core.export.stamp import property_text
from core.i18n import t

_WIDTH_IN, _HEIGHT_IN = 13.333, 7.5
_MARGIN_IN = 0.4
_TITLE_PT, _BODY_PT, _TABLE_PT, _STAMP_PT = 30, 18, 13, 9
_MIN_TABLE_PT = 10
_STAMP_TOP_IN = _HEIGHT_IN - 0.45  # the stamp's line; every other box ends above it
_GAP_IN = 0.2  # between a table and the note under it
# Text measured without a font: an average glyph is about half an em wide (Calibri,
# the theme's font, a little less), a line 1.2 em high; PowerPoint's inner margins of
# a text box or a table cell are 0.1 in on the sides, 0.05 in above and below.
_CHAR_EM, _LEADING = 0.52, 1.2
_INSET_X_IN, _INSET_Y_IN = 0.1, 0.05
_SUBGROUP_PT = 16
_CONTENT_TOP_IN = 1.15  # a panel's chart and table start under its heading
_GREY = (0x55, 0x55, 0x55)
_ORANGE = (0xD5, 0x5E, 0x00)  # the subgroup, as on the poster


def deck_pptx(poster: PosterContent, pngs: dict[str, bytes], date: str, titles: dict[str, str] | None = None) -> bytes:
    """The deck of ``poster``, charts from ``pngs`` (chart name -> PNG bytes), dated
    ``date`` (the stamp's ISO day) in its properties; ``titles`` (chart name -> title)
    are the pictures' alternative texts (else their names)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(_WIDTH_IN), Inches(_HEIGHT_IN)
    prs.core_properties.title = property_text(poster.title)
    prs.core_properties.subject = property_text(poster.stamp)
    prs.core_properties.comments = property_text(poster.stamp)
    prs.core_properties.author = ""
    date_properties(prs.core_properties, date)
    _title_slide(prs, poster)
    for panel in poster.panels:
        _panel_slide(prs, poster, panel, pngs, titles or {})
    _conclusion_slide(prs, poster)
    buffer = io.BytesIO()
    prs.save(buffer)
    n = len(prs.slides)
    return app_properties(buffer.getvalue(), PresentationFormat="Widescreen", Slides=n, Notes=n)


def _title_slide(prs, poster: PosterContent) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: every box placed here
    _text(slide, poster.title, _MARGIN_IN, 1.6, _WIDTH_IN - 2 * _MARGIN_IN, 1.6, 36, bold=True)
    lines = [", ".join(poster.authors), " · ".join(filter(None, (poster.centres, poster.period))),
             poster.subgroup, poster.note]
    _text(slide, "\n".join(x for x in lines if x), _MARGIN_IN, 3.4, _WIDTH_IN - 2 * _MARGIN_IN - 2.6, 2.6, _BODY_PT)
    if poster.url:
        size, caption_pt = 2.2, 10
        # The caption under the code, as many lines as it takes, both above the stamp.
        caption, gap = _text_height(poster.qr_caption, size, caption_pt), 0.05
        left, top = _WIDTH_IN - _MARGIN_IN - size, _STAMP_TOP_IN - 0.1 - caption - gap - size
        code = slide.shapes.add_picture(io.BytesIO(qr_png(poster.url)), Inches(left), Inches(top), Inches(size),
                                        Inches(size))
        code._element.nvPicPr.cNvPr.set("descr", f"QR · {poster.url}")
        _text(slide, poster.qr_caption, left, top + size + gap, size, caption, caption_pt)
    _stamp(slide, poster)
    slide.notes_slide.notes_text_frame.text = "\n".join(filter(None, (poster.title, *lines, poster.stamp)))


def _panel_slide(prs, poster: PosterContent, panel: PanelContent, pngs: dict[str, bytes],
                 titles: dict[str, str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _heading(slide, panel.title, poster.subgroup)
    top, bottom = _CONTENT_TOP_IN, _STAMP_TOP_IN - 0.1
    shown = [name for name in panel.charts if name in pngs]
    charts = [pngs[name] for name in shown]
    chart_width = (_WIDTH_IN - 2 * _MARGIN_IN) * (0.58 if charts else 0)
    if charts:
        _pictures(slide, charts, _MARGIN_IN, top, chart_width, bottom - top,
                  [titles.get(name, name) for name in shown])
    left = _MARGIN_IN + chart_width + (0.3 if charts else 0)
    width = _WIDTH_IN - _MARGIN_IN - left
    rest = None  # (rows, note, rows drawn) when the table goes on over more slides
    if panel.tiles:
        rows = [(x.label, x.value, x.detail) for x in panel.tiles]
        note = "\n".join(panel.lines)
        # The note stays under the table: both take a smaller type, down to
        # _MIN_TABLE_PT, until the table's rows and the note fit above the stamp.
        for size in range(_TABLE_PT, _MIN_TABLE_PT - 1, -1):
            note_height = _text_height(note, width, size) + _GAP_IN if note else 0
            if sum(_row_heights(rows, width, _cell_pt(size, rows))) + note_height <= bottom - top:
                break
        else:
            alone = _fitting_size(rows, width, bottom - top)
            if alone is None:  # too many rows even so (many follow-up months): the rest on slides of their own
                rest = (rows, note, _table_part(slide, rows, left, top, width, bottom - top))
            else:  # the table alone fits: at its largest type, the note on the next slide
                _table(slide, rows, left, top, width, bottom - top, _cell_pt(alone, rows))
                rest = (rows, note, len(rows))
        if rest is None:
            height = _table(slide, rows, left, top, width, bottom - top - note_height, _cell_pt(size, rows))
            if note:
                _text(slide, note, left, top + height + _GAP_IN, width, bottom - top - height - _GAP_IN, size)
    elif panel.lines:
        rows = [(line,) for line in panel.lines]
        size = _fitting_size(rows, width, bottom - top)
        if size is None:  # too many lines even so: the rest on slides of their own
            rest = (rows, "", _table_part(slide, rows, left, top, width, bottom - top))
        else:
            _table(slide, rows, left, top, width, bottom - top, _cell_pt(size, rows))
    _stamp(slide, poster)
    slide.notes_slide.notes_text_frame.text = "\n".join((*panel.notes, poster.stamp))
    if rest is not None:
        _continued(prs, poster, panel, *rest)


def _fitting_size(rows: list[tuple[str, ...]], width: float, height: float) -> int | None:
    """The largest type, from _TABLE_PT down to _MIN_TABLE_PT, at which ``rows`` fit
    ``height``; None when they do not fit even at the smallest."""
    return next((size for size in range(_TABLE_PT, _MIN_TABLE_PT - 1, -1)
                 if sum(_row_heights(rows, width, _cell_pt(size, rows))) <= height), None)


def _table_part(slide, rows: list[tuple[str, ...]], left: float, top: float, width: float, height: float) -> int:
    """As many of ``rows`` as fit ``height`` at the smallest type, drawn; returns how many."""
    size = _cell_pt(_MIN_TABLE_PT, rows)
    heights = _row_heights(rows, width, size)
    count = max(1, bisect_right(list(accumulate(heights)), height))
    _table(slide, rows[:count], left, top, width, height, size)
    return count


def _continued(prs, poster: PosterContent, panel: PanelContent, rows: list[tuple[str, ...]], note: str,
               done: int) -> None:
    """The rows of ``panel``'s table from ``done`` on, then its note, on slides headed
    "<title> (continued)", the table across the slide; the panel's notes on each."""
    title = t("exports.deck.continued", poster.lang, title=panel.title)
    width, top, bottom = _WIDTH_IN - 2 * _MARGIN_IN, _CONTENT_TOP_IN, _STAMP_TOP_IN - 0.1
    while done < len(rows) or note:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _heading(slide, title, poster.subgroup)
        room = bottom - top
        if done < len(rows):
            size, left = _cell_pt(_TABLE_PT, rows), rows[done:]
            if sum(_row_heights(left, width, size)) > room:
                done += _table_part(slide, left, _MARGIN_IN, top, width, room)
            else:
                room -= _table(slide, left, _MARGIN_IN, top, width, room, size) + _GAP_IN
                done = len(rows)
        if done >= len(rows) and note:
            if _text_height(note, width, _TABLE_PT) <= room:
                _text(slide, note, _MARGIN_IN, bottom - room, width, room, _TABLE_PT)
                note = ""
            elif room == bottom - top:  # a note longer than a slide
                _text(slide, note, _MARGIN_IN, top, width, room, _MIN_TABLE_PT)
                note = ""
        _stamp(slide, poster)
        slide.notes_slide.notes_text_frame.text = "\n".join((*panel.notes, poster.stamp))


def _heading(slide, title: str, subgroup: str = "") -> None:
    """A panel's title on its line; the subgroup, if any, on a smaller line under it,
    its type as small as it takes (down to the stamp's) to stay within the heading."""
    width = _WIDTH_IN - 2 * _MARGIN_IN
    if not subgroup:
        _text(slide, title, _MARGIN_IN, 0.25, width, 0.8, _TITLE_PT, bold=True)
        return
    _text(slide, title, _MARGIN_IN, 0.12, width, 0.6, _TITLE_PT, bold=True)
    top = 0.12 + 0.6
    room = _CONTENT_TOP_IN - top
    size = next((pt for pt in range(_SUBGROUP_PT, _STAMP_PT, -1) if _text_height(subgroup, width, pt) <= room),
                _STAMP_PT)
    _text(slide, subgroup, _MARGIN_IN, top, width, room, size, colour=_ORANGE)


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
    _text(slide, poster.stamp, _MARGIN_IN, _STAMP_TOP_IN, _WIDTH_IN - 2 * _MARGIN_IN, 0.35, _STAMP_PT,
          colour=_GREY)


def _png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


_PICTURE_GAP_IN = 0.15


def _pictures(slide, images: list[bytes], left: float, top: float, width: float, height: float,
              names: list[str] | None = None) -> None:
    """``images`` in the box, one under the other or side by side, whichever draws
    them larger (two tall charts stacked came out 2 in wide, their text about 6 pt),
    each scaled to fit its share and centred in it; ``names`` are their alternative
    texts."""
    from pptx.util import Inches

    sizes = [_png_size(data) for data in images]
    n, gap = len(images), _PICTURE_GAP_IN

    def scales(across: bool) -> list[float]:
        share_w = (width - gap * (n - 1)) / n if across else width
        share_h = height if across else (height - gap * (n - 1)) / n
        return [min(share_w / w_px, share_h / h_px) for w_px, h_px in sizes]

    across = min(scales(True)) > min(scales(False))
    share_w = (width - gap * (n - 1)) / n if across else width
    share_h = height if across else (height - gap * (n - 1)) / n
    for k, (data, (w_px, h_px), scale) in enumerate(zip(images, sizes, scales(across))):
        w, h = w_px * scale, h_px * scale
        x = left + (k * (share_w + gap) if across else 0) + (share_w - w) / 2
        y = top + (0 if across else k * (share_h + gap))
        picture = slide.shapes.add_picture(io.BytesIO(data), Inches(x), Inches(y), Inches(w), Inches(h))
        if names:
            picture._element.nvPicPr.cNvPr.set("descr", names[k])


def _cell_pt(size: int, rows: list) -> int:
    """The table's type: ``size``, two points smaller past ten rows."""
    return size if len(rows) <= 10 else size - 2


def _shares(n_cols: int) -> tuple[float, ...]:
    return (0.42, 0.2, 0.38) if n_cols == 3 else (1.0,)


def _text_height(text: str, width: float, size: float) -> float:
    """The height (inches) ``text`` takes in a box or cell ``width`` inches wide at
    ``size`` points, its inner margins included: each paragraph wrapped at the
    characters an average glyph leaves on a line."""
    per_line = max(1, int((width - 2 * _INSET_X_IN) * 72 / (size * _CHAR_EM)))
    lines = sum(max(1, math.ceil(len(paragraph) / per_line)) for paragraph in text.split("\n"))
    return lines * size * _LEADING / 72 + 2 * _INSET_Y_IN


def _row_heights(rows: list[tuple[str, ...]], width: float, size: float) -> list[float]:
    """Each row's height (inches) for its longest cell at ``size`` points (a detail
    cell, the third, two points smaller)."""
    shares = _shares(len(rows[0]))
    return [max(_text_height(value, width * share, size - (2 if col == 2 else 0))
                for col, (value, share) in enumerate(zip(values, shares))) for values in rows]


def _table(slide, rows: list[tuple[str, ...]], left: float, top: float, width: float, height: float,
           size: float) -> float:
    """A native table of ``rows`` (label, the value in bold, the detail in smaller type,
    or one column of lines) at ``size`` points, its rows at most 0.55 in high and all
    within ``height``, as far as their text allows; returns its height in inches."""
    from pptx.util import Inches, Pt

    n_cols = len(rows[0])
    needed = _row_heights(rows, width, size)
    even = min(0.55, height / len(rows))
    heights = [max(h, even) for h in needed]
    if sum(heights) > height:  # rows as high as their text, the room left shared out
        spare = max(0.0, height - sum(needed)) / len(rows)
        heights = [h + spare for h in needed]
    shape = slide.shapes.add_table(len(rows), n_cols, Inches(left), Inches(top), Inches(width),
                                   Inches(sum(heights)))
    table = shape.table
    table.first_row = False
    for col, share in enumerate(_shares(n_cols)):
        table.columns[col].width = Inches(width * share)
    for r, values in enumerate(rows):
        table.rows[r].height = Inches(heights[r])
        for col, value in enumerate(values):
            frame = table.cell(r, col).text_frame
            frame.word_wrap = True
            run = frame.paragraphs[0].add_run()
            run.text = value
            run.font.size = Pt(size - (2 if col == 2 else 0))
            run.font.bold = col == 1
    return sum(heights)
