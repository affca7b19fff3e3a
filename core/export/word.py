"""The tables as a Word document (python-docx), ready for a manuscript.

Each table has its title, the merged header spans above its column headers (header
rows repeat on every page), fixed column widths that fill the page, and its notes
under it in small type. Portrait or landscape A4. The stamp is in every page's
footer and in the document's properties. Cell text is the user's or the catalogue's
plain text: Word shows it as typed.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from core.export.office import app_properties, date_properties
from core.export.stamp import Stamp, property_text
from core.export.tables import DOCUMENT_ROWS, ExportTable, first_rows

_PAGE_MM = (210, 297)  # A4
_MARGIN_MM = 20
_BODY_PT, _CELL_PT, _NOTE_PT = 10, 8.5, 7.5
# Character counts that bound a column's share of the width (short columns stay
# readable, one long column does not take the whole page).
_MIN_CHARS, _MAX_CHARS = 5, 40


def tables_docx(tables: Sequence[ExportTable], stamp: Stamp, lang: str, title: str, *,
                landscape: bool = False, max_rows: int = DOCUMENT_ROWS) -> bytes:
    """Every table in one DOCX document, as bytes; a table of more than ``max_rows``
    rows (the events) lists its first ones and says so (``first_rows``)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    width_mm, height_mm = _PAGE_MM[::-1] if landscape else _PAGE_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width_mm), Mm(height_mm)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(_MARGIN_MM))
    doc.styles["Normal"].font.size = Pt(_BODY_PT)
    footer = section.footer.paragraphs[0]
    footer.text = stamp.line(lang)
    for run in footer.runs:
        run.font.size = Pt(_NOTE_PT)
    props = doc.core_properties
    line = property_text(stamp.line(lang))
    props.title, props.subject, props.comments, props.keywords = property_text(title), line, line, stamp.short
    props.author = ""
    date_properties(props, stamp.date)
    doc.add_heading(title, level=1)
    usable_mm = width_mm - 2 * _MARGIN_MM
    for k, table in enumerate(tables):
        if k:
            doc.add_paragraph()
        _add_table(doc, first_rows(table, max_rows, lang), usable_mm)
    buffer = io.BytesIO()
    doc.save(buffer)
    return app_properties(buffer.getvalue())


def _add_table(doc, table: ExportTable, usable_mm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc.add_heading(table.title, level=2)
    frame = table.frame
    n_cols = len(frame.columns)
    head_rows = 2 if table.spans else 1
    grid = doc.add_table(rows=head_rows + len(frame), cols=max(n_cols, 1))
    grid.style = "Table Grid"
    grid.autofit = False  # fixed layout: Word keeps the widths below
    widths = _widths(table, usable_mm)
    # The rows listed once: python-docx finds ``grid.rows[r]`` by listing every row,
    # so indexing row by row would cost the square of the table's length.
    rows = list(grid.rows)
    for row in rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)
    for column, width in zip(grid.columns, widths):
        column.width = Mm(width)
    header = rows[head_rows - 1].cells
    for col, name in enumerate(frame.columns):
        _write(header[col], str(name), bold=True)
    if table.spans:
        _merge_spans(grid, table)
    for k in range(head_rows):
        _repeat_as_header(rows[k])
    for row, values in zip(rows[head_rows:], frame.itertuples(index=False)):
        for cell, value in zip(row.cells, values):
            _write(cell, _text(value))
    for note in table.notes:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        run = paragraph.add_run(note)
        run.font.size = Pt(_NOTE_PT)
        run.italic = True


def _merge_spans(grid, table: ExportTable) -> None:
    """Row 0: each span merged across its columns; a blank span's columns are merged
    down with their header instead (``Characteristic`` over two rows)."""
    top, below = grid.rows[0].cells, grid.rows[1].cells
    col = 0
    for label, width in table.spans:
        if label:
            merged = top[col].merge(top[col + width - 1]) if width > 1 else top[col]
            _write(merged, label, bold=True, centred=True)
        else:
            for c in range(col, col + width):
                text = below[c].text
                merged = top[c].merge(below[c])
                _clear(merged)
                _write(merged, text, bold=True)
        col += width


def _clear(cell) -> None:
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    cell.paragraphs[0].text = ""


def _write(cell, text: str, *, bold: bool = False, centred: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(text)
    run.font.size = Pt(_CELL_PT)
    run.bold = bold
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repeat_as_header(row) -> None:
    """Mark ``row`` as a header row, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _widths(table: ExportTable, usable_mm: float) -> list[float]:
    """Column widths (mm) proportional to their longest text, bounded, filling the page."""
    frame = table.frame
    chars = []
    for col, name in enumerate(frame.columns):
        longest = max([len(word) for word in str(name).split()] + [len(_text(v)) for v in frame.iloc[:, col]],
                      default=_MIN_CHARS)
        chars.append(min(_MAX_CHARS, max(_MIN_CHARS, longest)))
    total = sum(chars) or 1
    return [usable_mm * c / total for c in chars]
