"""Workbook bytes -> one grid of native cells per sheet, read within ``ReadLimits``.

First ``core.workbook_scan`` checks the archive (sizes, cell positions, shared strings)
and notes the cells the reader shows as blank although they hold something; then
``core.workbook_reader`` parses the workbook in a child process with memory and time
limits. ``core.raw_table`` turns each grid into a table and ``cell_issues`` locates the
noted cells under the table's headers.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from core.limits import ReadLimits, megabytes
from core.report import ERROR, WARNING, Issue, value_text
from core.workbook_reader import read_sheets
from core.sheet_styles import padded_number
from core.sheet_xml import FlaggedCell, column_letters
from core.workbook_scan import scan_workbook

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy xls (and password-protected xlsx)


@dataclass(frozen=True)
class SheetGrid:
    """One sheet's cells from A1 (row i of ``grid`` is spreadsheet row i + 1; empty
    cells are None) and its noted cells."""

    name: str
    grid: pd.DataFrame
    cells: tuple[FlaggedCell, ...] = ()
    merges: tuple[tuple[int, int, int, int], ...] = ()  # (first row, first column, last row, last column)


def read_workbook(name: str, content: bytes, limits: ReadLimits,
                  read_hidden: bool = False) -> tuple[list[SheetGrid], list[Issue]]:
    """The grid of every sheet holding cells (or noted cells), and the issues met; an
    error issue means nothing could be read. A sheet the workbook hides (hidden or very
    hidden) is left out unless ``read_hidden``; either way a warning says which."""
    scan = scan_workbook(name, content, limits)
    if any(i.severity == ERROR for i in scan.issues):
        return [], list(scan.issues)
    book = read_sheets(content, limits.reader_memory_bytes, limits.reader_seconds, limits.max_cell_chars,
                      read_hidden)
    if book.failure is not None:
        params = {"memory": megabytes(limits.reader_memory_bytes), "seconds": float(limits.reader_seconds)}
        variant = "time" if book.failure == "time" else ""
        return [], [Issue.of(ERROR, "reader_failed", params, variant=variant, file=name)]
    if book.error is not None:
        protected = content.startswith(_OLE_MAGIC) and name.lower().endswith((".xlsx", ".xlsm"))
        return [], [Issue.of(ERROR, "unreadable_file", {"kind": book.error},
                             variant="protected" if protected else "workbook", file=name)]
    grids: list[SheetGrid] = []
    issues: list[Issue] = []
    for sheet in book.sheets:
        if sheet.hidden:
            issues.append(Issue.of(WARNING, "hidden_sheet", {"sheet": sheet.name},
                                   variant="read" if read_hidden else "", file=name, sheet=sheet.name))
            if not read_hidden:
                continue
        if sheet.error is not None:
            issues.append(Issue.of(WARNING, "unreadable_sheet", {"sheet": sheet.name, "kind": sheet.error},
                                   file=name, sheet=sheet.name))
            continue
        noted = [c for c in scan.flagged if c.sheet == sheet.name]
        noted += [FlaggedCell(sheet.name, row, column, code="cell_too_long", length=length)
                  for row, column, length in sheet.long_cells]
        if sheet.rows or noted:  # a sheet of uncomputed formulas reads as empty: say why
            # Empty cells come back as "": the contract's native form for them is None.
            grid = pd.DataFrame(sheet.rows or [], dtype=object).replace("", None)
            _as_displayed(grid, scan.padded.get(sheet.name, ()))
            grids.append(SheetGrid(sheet.name, grid, tuple(sorted(noted, key=lambda c: (c.row, c.column))),
                                   scan.merges.get(sheet.name, ())))
    return grids, issues


def _as_displayed(grid: pd.DataFrame, padded: Sequence[tuple[int, int, int]]) -> None:
    """Numbers shown zero-padded by their format (an id ``42`` shown ``0042``) as the
    text Excel displays, in place."""
    rows, columns = grid.shape
    for row, column, digits in padded:
        if row <= rows and column <= columns:
            grid.iat[row - 1, column - 1] = padded_number(grid.iat[row - 1, column - 1], digits)


def cell_issues(name: str, sheet: SheetGrid, headers: Sequence[str], header_row: int | None,
                limits: ReadLimits) -> list[Issue]:
    """A located warning per noted cell of ``sheet``: the row as the spreadsheet shows
    it and the column under its header (or its letter, above or without a header)."""
    issues = []
    for cell in sheet.cells:
        below = header_row is not None and cell.row > header_row and cell.column <= len(headers)
        column = headers[cell.column - 1] if below and headers[cell.column - 1] else column_letters(cell.column)
        params: dict[str, object] = {"cell": cell.ref}
        if cell.code == "cell_too_long":
            params.update(length=float(cell.length), limit=float(limits.max_cell_chars))
        elif cell.text:
            params["value"] = cell.text
        issues.append(Issue.of(WARNING, cell.code, params, file=name, sheet=sheet.name, row=cell.row,
                               column=column, value=cell.text or None))
    return issues


def merged_cells(name: str, sheet: SheetGrid, headers: Sequence[str],
                 header_row: int | None) -> tuple[pd.DataFrame | None, list[Issue]]:
    """``sheet``'s grid with each merged value filled down its rows (None when no merge
    fills anything), and a located warning per merged range.

    A value merged over several rows of data (a centre over three patients) is what
    Excel shows on each of them, so it fills them; a merge across columns, or touching
    the header, is reported only (its first cell's value is read). A merge wholly
    above the header is a title's (already noted as a skipped title row).
    """
    grid = None
    issues = []
    for first_row, first_col, last_row, last_col in sorted(sheet.merges):
        if header_row is None or last_row < header_row:
            continue
        ref = f"{column_letters(first_col)}{first_row}:{column_letters(last_col)}{last_row}"
        inside = first_row <= sheet.grid.shape[0] and first_col <= sheet.grid.shape[1]
        value = sheet.grid.iat[first_row - 1, first_col - 1] if inside else None
        below = first_row > header_row and first_col <= len(headers) and headers[first_col - 1]
        column = headers[first_col - 1] if below else column_letters(first_col)
        if below and last_row > first_row and value is not None:
            grid = sheet.grid.copy() if grid is None else grid
            grid.iloc[first_row:last_row, first_col - 1] = value  # rows first + 1 .. last, where the grid has them
            params = {"range": ref, "value": value_text(value), "first": first_row, "last": last_row}
            issues.append(Issue.of(WARNING, "merged_cells", params, file=name, sheet=sheet.name, row=first_row,
                                   column=column, value=value_text(value)))
        elif value is not None or first_row <= header_row:
            issues.append(Issue.of(WARNING, "merged_cells", {"range": ref}, variant="kept", file=name,
                                   sheet=sheet.name, row=first_row, column=column))
    return grid, issues

