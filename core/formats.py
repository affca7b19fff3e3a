"""Uploaded bytes -> raw tables (CSV, Excel/ODS workbooks, Parquet).

Each file goes to its reader by its extension, else by its first bytes: CSV text
(``core.csv_text``, ``core.csv_reader``) and workbook sheets (``core.workbooks``) are
read into grids whose tables ``core.raw_table`` finds; a Parquet file is read by
``core.parquet_reader``. A raw table keeps the header cells as the user wrote them and
the data cells as the file holds them (CSV: text; workbook and Parquet: native values),
with the row numbers the user sees in a spreadsheet. Nothing here knows the cohort
schema (recognising tables and columns is ``core.layout``'s job), except that a
workbook sheet named as documentation ("Read me", "Lisez-moi":
``schema.DOCUMENTATION_SHEETS``) is not a table. Bad input becomes an ``Issue``, never
an exception.
"""
from __future__ import annotations

from collections.abc import Sequence

from core.csv_reader import excel_separator, read_grid, sniff_delimiter
from core.csv_text import decode
from core.limits import ReadLimits, limits_from_env, size_issue
from core.parquet_reader import read_parquet
from core.raw_table import RawTable, header_text, table_from_grid
from core.report import ERROR, WARNING, Issue, file_issue
from core.schema import DOCUMENTATION_SHEETS, normalise
from core.workbooks import cell_issues, merged_cells, read_workbook

CSV_EXTENSIONS = frozenset({"csv", "tsv", "txt"})
WORKBOOK_EXTENSIONS = frozenset({"xlsx", "xlsm", "xlsb", "xls", "ods"})
PARQUET_EXTENSIONS = frozenset({"parquet", "pq"})

_ZIP_MAGIC = b"PK\x03\x04"  # xlsx, xlsm, ods
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy xls (and password-protected xlsx)
_PARQUET_MAGIC = b"PAR1"
_SHOWN_LINES = 5  # line numbers named by a mixed-encoding warning


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
        return [], [file_issue("empty_file", name, None)]
    fmt = _format_of(name, content)
    if fmt == "workbook":
        return _read_workbook(name, content, limits, read_hidden)
    if fmt == "parquet":
        return read_parquet(name, content, limits)
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


def _header_only_issue(table: RawTable, any_data: bool) -> Issue:
    sheet_part = "sheet" if table.sheet is not None else ""
    if any_data:
        variant = f"{sheet_part}_kept" if sheet_part else "kept"
        return file_issue("header_only", table.file, table.sheet, variant, WARNING)
    return file_issue("header_only", table.file, table.sheet, sheet_part)


# --- CSV ---------------------------------------------------------------------------

def _read_csv(name: str, content: bytes, limits: ReadLimits) -> tuple[list[RawTable], list[Issue]]:
    decoded = decode(content)
    if decoded is None:
        return [], [file_issue("unreadable_file", name, None)]
    text = decoded.text
    if "\r" in text:  # old Mac exports end lines with a lone CR
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter, text = excel_separator(text)
    # Rows as Excel shows them: without its sep= line when there is one.
    lines = tuple(line - 1 for line in decoded.cp1252_lines) if delimiter else decoded.cp1252_lines
    mixed = [_mixed_encoding(name, lines)] if lines else []
    delimiter = delimiter or sniff_delimiter(text)
    read = read_grid(name, text, delimiter, limits)
    if isinstance(read, Issue):
        return [], [read]
    tables, issues = table_from_grid(name, None, read.grid, read.fields, read.filled, comma_separated=delimiter == ",")
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
        found, met = table_from_grid(name, sheet.name, sheet.grid)
        header_row = found[0].header_row if found else None
        headers = [header_text(v) for v in sheet.grid.iloc[header_row - 1]] if header_row else []
        if sheet.merges:
            filled, merged = merged_cells(name, sheet, headers, header_row)
            if filled is not None:  # a merged value fills its rows: read the table again
                found, met = table_from_grid(name, sheet.name, filled)
            met = [*met, *merged]
        tables.extend(found)
        issues.extend(i for i in met if i.code != "empty_file")
        issues.extend(cell_issues(name, sheet, headers, header_row, limits))
    if not tables and any(i.code == "unreadable_sheet" for i in issues):
        issues.append(file_issue("unreadable_file", name, None, "no_sheet"))
    elif not tables:
        issues.append(file_issue("empty_file", name, None, "workbook"))
    return tables, issues
