"""Safe cells: a spreadsheet never reads an exported value as a formula.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
can be run as a formula by Excel or LibreOffice (CSV injection). Patient ids, event
descriptions and column headers are the user's text, so every text cell is guarded:

- XLSX: text is written with ``write_string`` (a text cell; the workbook is also
  opened with ``strings_to_formulas`` off), so it shows exactly as typed.
- CSV has no cell types: a dangerous text gets a leading single quote, as OWASP
  advises (``=1+2`` is written ``'=1+2``); a spreadsheet shows the quote, and the
  value is never evaluated. Numbers written as numbers (not text) are left alone.

Reference: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
"""
from __future__ import annotations

import pandas as pd

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(DANGEROUS_STARTS)


def csv_cell(value: object) -> object:
    """``value`` for a CSV writer: a dangerous text prefixed with a single quote."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def csv_column(column: pd.Series) -> pd.Series:
    """``column`` with ``csv_cell`` applied to every value, as one vectorised operation:
    its dangerous texts prefixed, everything else (numbers, missing values) unchanged.

    Only a column of numbers (or booleans) holds no text. Any other dtype may: a
    categorical or an Arrow-backed text column is read as Python values first, so that
    its texts are guarded as in an object column."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column
    if not (column.dtype == object or isinstance(column.dtype, pd.StringDtype)):
        column = column.astype(object)
    try:
        dangerous = column.str.startswith(DANGEROUS_STARTS, na=False)
    except AttributeError:  # an object column holding no text
        return column
    if not dangerous.any():
        return column
    return column.mask(dangerous, "'" + column[dangerous].astype(str))
