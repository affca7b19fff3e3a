"""Tables as CSV files and as one formatted XLSX workbook, every text cell safe.

CSV: one file per table, UTF-8 with a byte-order mark (so that Excel reads accents),
separated by ``;`` in French (the decimal comma is taken) and ``,`` in English, one
header row; the title, spans, notes and stamp, which a CSV cannot hold without
breaking its columns, go to the XLSX, the manifest and ``stamp.txt``.

XLSX (XlsxWriter): one sheet per table with its title, the stamp, the merged header
spans, bold headers, fixed column widths, frozen headers and footnotes; the stamp is
also in the workbook's properties.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from functools import partial

import pandas as pd

from core.export.safe import csv_cell, csv_column
from core.export.stamp import Stamp, property_text
from core.export.tables import ExportTable

CSV_DELIMITER = {"fr": ";", "en": ","}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH, _MIN_WIDTH = 60, 6


def table_csv(table: ExportTable, lang: str) -> bytes:
    """``table`` as CSV bytes (header row, then data rows), written column by column by
    pandas (Python's csv writer, minimal quoting; a missing value is an empty cell)."""
    frame = table.frame
    safe = pd.DataFrame({k: csv_column(frame.iloc[:, k]) for k in range(len(frame.columns))},
                        index=frame.index)
    safe.columns = [csv_cell(str(c)) for c in frame.columns]
    buffer = io.StringIO()
    safe.to_csv(buffer, sep=CSV_DELIMITER[lang], index=False, lineterminator="\r\n", na_rep="",
                quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode("utf-8-sig")


def _plain(value: object) -> object:
    """Missing values as an empty cell; numpy scalars as Python numbers."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def tables_xlsx(tables: Sequence[ExportTable], stamp: Stamp, lang: str, title: str) -> bytes:
    """Every table on its own sheet of one workbook, as bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    # No automatic conversion of text: a value starting with "=" stays text.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    # The properties as Word and PowerPoint hold them: at most 255 characters each.
    line = property_text(stamp.line(lang))
    book.set_properties({"title": property_text(title), "subject": line, "comments": line,
                         "keywords": stamp.short, "author": "", "company": "",
                         "created": dt.datetime.fromisoformat(stamp.date)})
    styles = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "stamp": book.add_format({"font_size": 8, "font_color": "#555555"}),
        "span": book.add_format({"bold": True, "align": "center", "bottom": 1}),
        "head": book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}),
        "cell": book.add_format({"valign": "top"}),
        "note": book.add_format({"italic": True, "font_size": 8}),
    }
    used: set[str] = set()
    for table in tables:
        _write_sheet(book.add_worksheet(_sheet_name(table.title, used)), table, stamp, lang, styles)
    book.close()
    return buffer.getvalue()


def _write_sheet(sheet, table: ExportTable, stamp: Stamp, lang: str, styles: dict) -> None:
    frame = table.frame
    sheet.write_string(0, 0, table.title, styles["title"])
    sheet.write_string(1, 0, stamp.line(lang), styles["stamp"])
    row = 3
    if table.spans:
        col = 0
        for label, width in table.spans:
            if width > 1:
                sheet.merge_range(row, col, row, col + width - 1, label, styles["span"])
            else:
                sheet.write_string(row, col, label, styles["span"])
            col += width
        row += 1
    for col, name in enumerate(frame.columns):
        sheet.write_string(row, col, str(name), styles["head"])
    sheet.freeze_panes(row + 1, 1)
    columns = [frame.iloc[:, col] for col in range(len(frame.columns))]
    text = [_is_text(column) for column in columns]
    cells = [_cells(column, is_text) for column, is_text in zip(columns, text)]
    # A column of text is written as text cells directly; the others value by value.
    writers = [sheet.write_string if is_text else partial(_write_cell, sheet) for is_text in text]
    style = styles["cell"]
    for values in zip(*cells):
        row += 1
        for col, (write, value) in enumerate(zip(writers, values)):
            write(row, col, value, style)
    row += 1
    for note in table.notes:
        row += 1
        sheet.write_string(row, 0, note, styles["note"])
    for col, (name, column) in enumerate(zip(frame.columns, columns)):
        longest = max(len(str(name)) // 2, max(map(len, map(str, column.tolist())), default=0))
        sheet.set_column(col, col, max(_MIN_WIDTH, min(_MAX_WIDTH, longest + 2)))


def _is_text(column: pd.Series) -> bool:
    """Whether every value of ``column`` is text or missing (inferred at C speed)."""
    return pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")


def _cells(column: pd.Series, is_text: bool) -> list:
    """The column's values as ``_plain`` gives them: a column of text or of numbers in
    one step (Python values, a missing value as ""), a mixed column value by value."""
    if is_text:
        return column.to_numpy(dtype=object, na_value="").tolist()
    if column.dtype != object:
        return column.astype(object).where(column.notna(), "").tolist()
    return [_plain(v) for v in column.tolist()]


def _write_cell(sheet, row: int, col: int, value: object, style) -> None:
    """Numbers as numbers, everything else as a text cell (never a formula)."""
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, style)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no ``[]:*?/\\``), unique in the book."""
    # "Biology: change from M0" -> "Biology change from M0" (one space where ": " was).
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()).strip("' ")
    if len(base) > 31:
        # Too long: a numbered table keeps its label ("Table 1. Baseline ..." -> "Table 1"),
        # any other title its whole words (a word cut at 31 characters is unreadable).
        label, dot, _ = base.partition(". ")
        base = label if dot and len(label) <= 31 else (base[:32].rsplit(" ", 1)[0] or base)[:31]
    base = base.strip("' ") or "Sheet"
    name, k = base, 2
    while name.lower() in used:
        suffix = f" ({k})"
        name, k = base[:31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name
