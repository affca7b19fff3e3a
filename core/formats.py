"""Uploaded bytes -> raw tables (CSV, Excel/ODS workbooks, Parquet).

A raw table keeps the header cells as the user wrote them and the data cells as the
file holds them (CSV: text; workbook and Parquet: native values), with the row numbers
the user sees in a spreadsheet. Nothing here knows the cohort schema (recognising
tables and columns is ``core.layout``'s job), except that a workbook sheet named as
documentation ("Read me", "Lisez-moi": ``schema.DOCUMENTATION_SHEETS``) is not a
table. Bad input becomes an ``Issue``, never an exception.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.csv_reader import read_grid, sniff_delimiter
from core.csv_text import decode
from core.limits import ReadLimits, limits_from_env, megabytes, shape_issue, size_issue
from core.report import ERROR, REJECTED, WARNING, Issue
from core.schema import DOCUMENTATION_SHEETS, normalise
from core.workbooks import cell_issues, merged_cells, read_workbook

CSV_EXTENSIONS = frozenset({"csv", "tsv", "txt"})
WORKBOOK_EXTENSIONS = frozenset({"xlsx", "xlsm", "xlsb", "xls", "ods"})
PARQUET_EXTENSIONS = frozenset({"parquet", "pq"})

_ZIP_MAGIC = b"PK\x03\x04"  # xlsx, xlsm, ods
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy xls (and password-protected xlsx)
_PARQUET_MAGIC = b"PAR1"
_MAX_TITLE_ROWS = 3
_SHOWN_LINES = 5  # line numbers named by a mixed-encoding warning
# The unnamed index pandas stores in a Parquet file; a named index is a column.
_INDEX_COLUMN = re.compile(r"__index_level_\d+__")


@dataclass(frozen=True)
class RawTable:
    """One table of one uploaded file, before any interpretation.

    ``data`` columns are positions 0..n-1 matching ``headers`` (headers may repeat);
    ``row_numbers`` gives the spreadsheet row of each data row (header = row 1 normally);
    ``rejected`` counts the data rows left out while reading (each listed as an issue).
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


def read_files(files: Sequence[tuple[str, bytes]], limits: ReadLimits | None = None, *,
               read_hidden_sheets: bool = False) -> tuple[list[RawTable], list[Issue]]:
    """Every table of every uploaded file, and the issues met reading them.

    A table with headers but no data row is an error when no table of the upload has
    data; otherwise it is kept with zero rows (an events sheet with no event is
    legitimate) and noted with a warning. A file past one of ``limits`` (default:
    ``core.limits.limits_from_env()``) is an error and is not read. A workbook's hidden
    sheets are read only with ``read_hidden_sheets`` (noted either way).
    """
    limits = limits or limits_from_env()
    tables: list[RawTable] = []
    issues: list[Issue] = []
    for name, content in files:
        found, met = _read_one(name, content, limits, read_hidden_sheets)
        tables.extend(found)
        issues.extend(met)
    any_data = any(len(t.data) for t in tables)
    kept = []
    for table in tables:
        if len(table.data) == 0:
            issues.append(_header_only_issue(table, any_data))
            if not any_data:
                continue
        kept.append(table)
    return kept, issues


def _read_one(name: str, content: bytes, limits: ReadLimits,
              read_hidden: bool = False) -> tuple[list[RawTable], list[Issue]]:
    too_large = size_issue(name, len(content), limits)
    if too_large is not None:
        return [], [too_large]
    if not content or not content.strip():
        return [], [_error("empty_file", name, None)]
    fmt = _format_of(name, content)
    if fmt == "workbook":
        return _read_workbook(name, content, limits, read_hidden)
    if fmt == "parquet":
        return _read_parquet(name, content, limits)
    return _read_csv(name, content, limits)


def _format_of(name: str, content: bytes) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in WORKBOOK_EXTENSIONS:
        return "workbook"
    if ext in PARQUET_EXTENSIONS:
        return "parquet"
    if ext in CSV_EXTENSIONS:
        return "csv"
    if content.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return "workbook"
    if content.startswith(_PARQUET_MAGIC):
        return "parquet"
    return "csv"


def _error(code: str, file: str, sheet: str | None, variant: str = "", severity: str = ERROR,
           **params: object) -> Issue:
    """An issue with a whole file or sheet; a sheet's wording names it (variant "sheet")."""
    if sheet is not None:
        params["sheet"] = sheet
    return Issue.of(severity, code, params, variant=variant, file=file, sheet=sheet)


def _header_only_issue(table: RawTable, any_data: bool) -> Issue:
    sheet_part = "sheet" if table.sheet is not None else ""
    if any_data:
        variant = f"{sheet_part}_kept" if sheet_part else "kept"
        return _error("header_only", table.file, table.sheet, variant, WARNING)
    return _error("header_only", table.file, table.sheet, sheet_part)


# --- CSV ---------------------------------------------------------------------------

def _read_csv(name: str, content: bytes, limits: ReadLimits) -> tuple[list[RawTable], list[Issue]]:
    decoded = decode(content)
    if decoded is None:
        return [], [_error("unreadable_file", name, None)]
    text = decoded.text
    mixed = [_mixed_encoding(name, decoded.cp1252_lines)] if decoded.cp1252_lines else []
    if "\r" in text:  # old Mac exports end lines with a lone CR
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    read = read_grid(name, text, sniff_delimiter(text), limits)
    if isinstance(read, Issue):
        return [], [read]
    tables, issues = _table_from_grid(name, None, read.grid, read.fields, read.filled)
    return tables, mixed + issues


def _mixed_encoding(name: str, lines: tuple[int, ...]) -> Issue:
    shown = ", ".join(map(str, lines[:_SHOWN_LINES])) + (", …" if len(lines) > _SHOWN_LINES else "")
    return Issue.of(WARNING, "mixed_encoding", {"rows": shown, "count": float(len(lines))}, file=name, row=lines[0])


# --- Workbooks ---------------------------------------------------------------------

def _read_workbook(name: str, content: bytes, limits: ReadLimits,
                   read_hidden: bool = False) -> tuple[list[RawTable], list[Issue]]:
    sheets, issues = read_workbook(name, content, limits, read_hidden)
    if any(i.severity == ERROR for i in issues):
        return [], issues
    tables: list[RawTable] = []
    for sheet in sheets:
        if normalise(sheet.name) in DOCUMENTATION_SHEETS:
            continue  # the template's explanations: text for the reader, no cohort data
        found, met = _table_from_grid(name, sheet.name, sheet.grid)
        header_row = found[0].header_row if found else None
        headers = [_header_text(v) for v in sheet.grid.iloc[header_row - 1]] if header_row else []
        if sheet.merges:
            filled, merged = merged_cells(name, sheet, headers, header_row)
            if filled is not None:  # a merged value fills its rows: read the table again
                found, met = _table_from_grid(name, sheet.name, filled)
            met = [*met, *merged]
        tables.extend(found)
        issues.extend(i for i in met if i.code != "empty_file")
        issues.extend(cell_issues(name, sheet, headers, header_row, limits))
    if not tables and any(i.code == "unreadable_sheet" for i in issues):
        issues.append(_error("unreadable_file", name, None, "no_sheet"))
    elif not tables:
        issues.append(_error("empty_file", name, None, "workbook"))
    return tables, issues


# --- Parquet -----------------------------------------------------------------------

def _read_parquet(name: str, content: bytes, limits: ReadLimits) -> tuple[list[RawTable], list[Issue]]:
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(io.BytesIO(content))
        meta = source.metadata
        # The grid as a spreadsheet export of it would be: a header row, then the rows.
        too_large = shape_issue(name, None, meta.num_rows + 1, meta.num_columns, limits)
        if too_large is None and _parquet_bytes(meta) > limits.max_uncompressed_bytes:
            too_large = _error("file_too_large", name, None, "uncompressed", size=megabytes(_parquet_bytes(meta)),
                               limit=megabytes(limits.max_uncompressed_bytes))
        if too_large is not None:
            return [], [too_large]
        arrow = source.read()
        columns = [(field.name, *_parquet_column(arrow.column(i)))
                   for i, field in enumerate(arrow.schema) if not _INDEX_COLUMN.fullmatch(field.name)]
    except Exception as exc:  # pyarrow raises several types for corrupt files
        return [], [_error("unreadable_file", name, None, "parquet", kind=type(exc).__name__)]
    headers = tuple(_header_text(c) for c, _, _ in columns)
    if not headers:
        return [], [_error("empty_file", name, None, "parquet")]
    # The columns are new arrays: the frame need not copy them.
    data = pd.DataFrame({i: cells for i, (_, cells, _) in enumerate(columns)}, index=pd.RangeIndex(meta.num_rows),
                        copy=False)
    # No header row in Parquet: number rows as a spreadsheet export of it would.
    rows = np.arange(2, len(data) + 2)
    keep = ~np.logical_and.reduce([blank for _, _, blank in columns])
    if not keep.all():  # a blank row is left out (a mask would copy every column)
        data, rows = data[keep].reset_index(drop=True), rows[keep]
    table = RawTable(name, None, headers, data, rows, 1)
    return [table], []


def _parquet_bytes(meta) -> int:
    """The uncompressed size of a Parquet file's data, as its row groups declare it."""
    return sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))


def _parquet_column(column) -> tuple[pd.Series, np.ndarray]:
    """One Parquet column as cells, and where its cells are blank (null, or text of spaces).

    Typed columns stay typed, so that nothing reads them cell by cell: whole numbers as
    nullable integers (never floats, as numpy would make a column with nulls), floats
    (decimals and half floats too) as floats, booleans as nullable booleans, text
    (dictionary-encoded too) as Arrow-backed text. Other types (dates, times, nested
    values) become native Python cells. Missing cells are NA (None for Python cells).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_decimal(kind) or pa.types.is_floating(kind):
        column, kind = column.cast(pa.float64(), safe=False), pa.float64()
    blank = column.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        column = column.cast(pa.large_string())
        blank = blank | pc.fill_null(pc.equal(pc.utf8_trim_whitespace(column), ""), False).to_numpy(
            zero_copy_only=False)
        return pd.Series(pd.arrays.ArrowStringArray(column.combine_chunks())), blank
    if pa.types.is_integer(kind) and not pa.types.is_uint64(kind):
        return pd.Series(column.cast(pa.int64()).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)), blank
    if pa.types.is_boolean(kind):
        return pd.Series(column.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)), blank
    if kind == pa.float64():
        # NaN is missing, like null.
        values = column.to_numpy()
        return pd.Series(values), blank | np.isnan(values)
    return pd.Series(column.to_pylist(), dtype=object), blank


# --- Shared: grid of cells -> header and data --------------------------------------

def _blank(grid: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds nothing: None/NaN, or text that is only spaces."""
    blank = grid.isna()
    for col in grid.columns:
        is_text = grid[col].map(type).eq(str)
        if is_text.any():
            blank[col] |= is_text & grid[col].where(is_text, "x").astype(str).str.strip().eq("")
    return blank


def _header_text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a year typed as a header in Excel: 2019, not 2019.0
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.isoformat()
    return str(cell).strip()


def _table_from_grid(name: str, sheet: str | None, grid: pd.DataFrame, fields: np.ndarray | None = None,
                     filled: np.ndarray | None = None) -> tuple[list[RawTable], list[Issue]]:
    """Find the header row (skipping title lines) and the data rows below it.

    ``grid`` has one row per spreadsheet row, from row 1, so position + 1 is the row
    number the user sees. ``fields`` (CSV only) gives each row's field count: a data
    row with a filled cell beyond the header's fields is rejected (see ``_too_wide``).
    ``filled`` marks the cells holding something (default: not ``_blank``).
    """
    filled = ~_blank(grid).to_numpy(dtype=bool) if filled is None else filled
    per_row = filled.sum(axis=1)
    nonempty = np.flatnonzero(per_row > 0)
    if len(nonempty) == 0:
        return [], [_error("empty_file", name, sheet, "sheet" if sheet is not None else "")]
    # Title lines above the header: single-cell rows before the first wider row.
    lead = per_row[nonempty[: _MAX_TITLE_ROWS + 1]]
    wider = np.flatnonzero(lead > 1)
    start = int(wider[0]) if len(wider) else 0
    issues = [_title_issue(name, sheet, grid.iloc[pos], int(pos), int(nonempty[start]))
              for pos in nonempty[:start]]
    header_pos = int(nonempty[start])
    headers = [_header_text(v) for v in grid.iloc[header_pos]]
    below = np.arange(len(grid)) > header_pos
    keep_rows = below & (per_row > 0)
    wide = np.zeros(len(grid), dtype=bool)
    if fields is not None and header_pos < len(fields):
        # A trailing empty header field (``id,sex,age,``) names no column: a value under
        # it is as shifted as one past the header's end.
        named = np.flatnonzero(filled[header_pos, : int(fields[header_pos])])
        wide, found = _too_wide(name, filled, keep_rows, int(named[-1]) + 1 if len(named) else 0)
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
                     kept + 1, header_pos + 1, int(wide.sum()))
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
        return wide, [_error("too_many_cells", name, None, "all", rows=int(wide.sum()), header=header_fields)]
    # Cells up to the last filled one, trailing empty fields aside.
    counts = cells.shape[1] - np.argmax(cells[:, ::-1], axis=1)
    return wide, [Issue.of(REJECTED, "too_many_cells", {"row": int(pos) + 1, "cells": int(counts[pos]),
                                                       "header": header_fields}, file=name, row=int(pos) + 1)
                  for pos in np.flatnonzero(wide)]


def _title_issue(name: str, sheet: str | None, cells: pd.Series, pos: int, header_pos: int) -> Issue:
    title = next(text for text in map(_header_text, cells) if text)
    return Issue.of(WARNING, "title_row_skipped", {"row": pos + 1, "title": title, "header_row": header_pos + 1},
                    file=name, sheet=sheet, row=pos + 1, value=title)
