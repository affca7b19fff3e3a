"""Raw tables: one table of one uploaded file before any interpretation, and how a grid
of cells becomes one.

A grid is what a spreadsheet shows (CSV records, or a workbook sheet): one row per
spreadsheet row. ``table_from_grid`` finds the header row below any title lines and
the data rows under it: a CSV row with a value past the header's fields is rejected,
and columns with neither a header nor data are left out. ``header_text`` is
shared by the readers (``core.formats``, ``core.parquet_reader``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.report import REJECTED, WARNING, Issue, file_issue

_MAX_TITLE_ROWS = 3


@dataclass(frozen=True)
class RawTable:
    """One table of one uploaded file, before any interpretation.

    ``data`` columns are positions 0..n-1 matching ``headers`` (headers may repeat);
    ``row_numbers`` gives the spreadsheet row of each data row (header = row 1 normally);
    ``rejected`` counts the data rows left out while reading (each listed as an issue);
    ``columns`` gives the spreadsheet column of each header (1 for A; None: the headers'
    own positions, from 1), as a column left out for holding nothing shifts the rest.
    A CSV table's columns are Arrow-backed text (``core.csv_reader.TEXT``), never NA: ""
    for an empty field or one the record lacks (a cell of spaces stays as written).
    """

    file: str
    sheet: str | None
    headers: tuple[str, ...]
    data: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int
    rejected: int = 0
    columns: tuple[int, ...] | None = None

    def column_number(self, position: int) -> int:
        """The spreadsheet column (1 for A) of the header at ``position`` (from 0)."""
        return position + 1 if self.columns is None else self.columns[position]


def _blank(grid: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds nothing: None/NaN, or text that is only spaces."""
    blank = grid.isna()
    for col in grid.columns:
        is_text = grid[col].map(type).eq(str)
        if is_text.any():
            blank[col] |= is_text & grid[col].where(is_text, "x").astype(str).str.strip().eq("")
    return blank


def header_text(cell: object) -> str:
    """A header cell as text: "" for nothing, 2019 for a year typed as a number, dates in ISO."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a year typed as a header in Excel: 2019, not 2019.0
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.isoformat()
    return str(cell).strip()


def table_from_grid(name: str, sheet: str | None, grid: pd.DataFrame, fields: np.ndarray | None = None,
                    filled: np.ndarray | None = None, comma_separated: bool = True) -> tuple[list[RawTable], list[Issue]]:
    """Find the header row (skipping title lines) and the data rows below it.

    ``grid`` has one row per spreadsheet row, from row 1, so position + 1 is the row
    number the user sees. ``fields`` (CSV only) gives each row's field count: a data
    row with a filled cell beyond the header's fields is rejected (see ``_too_wide``).
    In a comma-separated file (``comma_separated``) the header's trailing empty fields
    do not count: a decimal comma splits a value as far as them. Other separators
    leave commas whole: a value under an empty header field of the header line (a
    remark in an unnamed column, Excel padding every line to its used range) is an
    unnamed column. ``filled`` marks the cells holding something (default: not ``_blank``).
    """
    filled = ~_blank(grid).to_numpy(dtype=bool) if filled is None else filled
    per_row = filled.sum(axis=1)
    nonempty = np.flatnonzero(per_row > 0)
    if len(nonempty) == 0:
        return [], [file_issue("empty_file", name, sheet, "sheet" if sheet is not None else "")]
    # Title lines above the header: single-cell rows before the first wider row.
    lead = per_row[nonempty[: _MAX_TITLE_ROWS + 1]]
    wider = np.flatnonzero(lead > 1)
    start = int(wider[0]) if len(wider) else 0
    issues = [_title_issue(name, sheet, grid.iloc[pos], int(pos), int(nonempty[start]))
              for pos in nonempty[:start]]
    header_pos = int(nonempty[start])
    headers = [header_text(v) for v in grid.iloc[header_pos]]
    below = np.arange(len(grid)) > header_pos
    keep_rows = below & (per_row > 0)
    wide = np.zeros(len(grid), dtype=bool)
    if fields is not None and header_pos < len(fields):
        # A trailing empty header field (``id,sex,age,``) names no column: a value under
        # it is as shifted as one past the header's end.
        named = np.flatnonzero(filled[header_pos, : int(fields[header_pos])])
        width = (int(named[-1]) + 1 if len(named) else 0) if comma_separated else int(fields[header_pos])
        wide, found = _too_wide(name, filled, keep_rows, width)
        issues += found
        if wide.any() and not (keep_rows & ~wide).any():
            return [], issues
        keep_rows &= ~wide
    kept = np.flatnonzero(keep_rows)
    # Rows side by side (no blank or rejected row between) are a slice, which copies nothing.
    contiguous = len(kept) == 0 or kept[-1] - kept[0] + 1 == len(kept)
    data = grid.iloc[kept[0]:kept[-1] + 1] if contiguous and len(kept) else grid.iloc[kept]
    # Columns with neither a header nor any data are padding (Excel's used range), not columns.
    holds_data = filled[kept].any(axis=0)
    used = [j for j, h in enumerate(headers) if h or holds_data[j]]
    data = data.iloc[:, used]
    data.columns = range(len(used))
    table = RawTable(name, sheet, tuple(headers[j] for j in used), data.reset_index(drop=True),
                     kept + 1, header_pos + 1, int(wide.sum()), tuple(j + 1 for j in used))
    return [table], issues


def _too_wide(name: str, cells: np.ndarray, rows: np.ndarray, header_fields: int) -> tuple[np.ndarray, list[Issue]]:
    """Data rows with a filled cell beyond the header's fields, and their issues.

    Their values are shifted (an unquoted decimal comma in a comma-separated file:
    ``P1,F,40,7,5`` under ``id,sex,age,dose``), so each is rejected rather than read
    wrongly; trailing empty fields are harmless. When every data row is too wide the
    file is an error (one issue, not one per row). ``cells`` marks the filled cells.
    """
    wide = rows & cells[:, header_fields:].any(axis=1)
    if not wide.any():
        return wide, []
    if not (rows & ~wide).any():
        return wide, [file_issue("too_many_cells", name, None, "all", rows=int(wide.sum()), header=header_fields)]
    # Cells up to the last filled one, trailing empty fields aside.
    counts = cells.shape[1] - np.argmax(cells[:, ::-1], axis=1)
    return wide, [Issue.of(REJECTED, "too_many_cells", {"row": int(pos) + 1, "cells": int(counts[pos]),
                                                       "header": header_fields}, file=name, row=int(pos) + 1)
                  for pos in np.flatnonzero(wide)]


def _title_issue(name: str, sheet: str | None, cells: pd.Series, pos: int, header_pos: int) -> Issue:
    title = next(text for text in map(header_text, cells) if text)
    return Issue.of(WARNING, "title_row_skipped", {"row": pos + 1, "title": title, "header_row": header_pos + 1},
                    file=name, sheet=sheet, row=pos + 1, value=title)
