"""How much an upload may hold before it is read: every limit in one place.

An upload is checked against these limits before the costly work (the workbook
reader, pandas), so that a small hostile file cannot take the server's memory or time;
past a limit the file gets a clear error naming the limit (``file_too_large``,
``too_many_rows``, ``too_many_columns``, ``table_too_large``, ``too_many_sheets``,
``reader_failed``). The defaults are far above a real registry (``benchmarks/registry.py``:
50,000 patients on 49 columns); a deployment can change them
(``load_cohort(files, limits=ReadLimits(...))``, or the environment variables below).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from core.report import Issue, file_issue

MB = 1_000_000
# Environment variables overriding a default, e.g. LIVING_POSTER_MAX_ROWS=500000.
ENV_PREFIX = "LIVING_POSTER_"


@dataclass(frozen=True)
class ReadLimits:
    """The limits of one upload's reading.

    - ``max_file_bytes``: one uploaded file, as uploaded (Streamlit's own upload cap is 200 MB).
    - ``max_uncompressed_bytes`` / ``max_entry_bytes``: a workbook (a zip archive) once
      unpacked, in all and per part; ``max_compression_ratio`` for a part above 1 MB
      (spreadsheet XML packs about 10:1; far more means a zip bomb); ``max_zip_entries``.
    - ``max_rows`` / ``max_columns``: of one sheet or file, counting the header row and
      any empty rows and columns the reader would fill in (a stray cell at ``XFD1048576``
      makes a sheet 16,384 columns wide).
    - ``max_cells``: rows x columns of one sheet or file (the grid the reader builds).
    - ``max_shared_strings``: the shared-string table a workbook declares.
    - ``max_sheets``: sheets of one workbook.
    - ``max_cell_chars``: one workbook cell's text (32,767 is Excel's own maximum); a
      longer cell is set missing with a warning.
    - ``reader_memory_bytes`` / ``reader_seconds``: the child process that runs the
      native workbook reader; past either the file is reported, not the server stopped.
    """

    max_file_bytes: int = 200 * MB
    max_uncompressed_bytes: int = 500 * MB
    max_entry_bytes: int = 500 * MB
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 10_000
    max_rows: int = 2_000_000
    max_columns: int = 2_000
    max_cells: int = 20_000_000
    max_shared_strings: int = 20_000_000
    max_sheets: int = 256
    max_cell_chars: int = 32_767
    reader_memory_bytes: int = 4_000 * MB
    reader_seconds: float = 120.0

    def __post_init__(self) -> None:
        for item in fields(self):
            if not getattr(self, item.name) > 0:
                raise ValueError(f"{item.name} must be > 0, not {getattr(self, item.name)!r}")


def limits_from_env(environ: dict[str, str] | None = None) -> ReadLimits:
    """The defaults, with any ``LIVING_POSTER_<FIELD>`` variable applied (e.g.
    ``LIVING_POSTER_READER_SECONDS=60``); a value that is not a positive number is an error."""
    environ = os.environ if environ is None else environ
    changes: dict[str, object] = {}
    for item in fields(ReadLimits):
        text = environ.get(ENV_PREFIX + item.name.upper())
        if text is None:
            continue
        cast = float if item.type in ("float", float) else int
        try:
            changes[item.name] = cast(text.strip().replace("_", ""))
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{item.name.upper()}={text!r} is not a number") from None
    return replace(ReadLimits(), **changes)


def megabytes(size: int | float) -> float:
    """A byte count in MB with one decimal, as issue sentences show it."""
    return round(size / MB, 1)


def size_issue(name: str, size: int, limits: ReadLimits) -> Issue | None:
    """The error for a file larger than ``limits.max_file_bytes``, else None."""
    if size <= limits.max_file_bytes:
        return None
    return file_issue("file_too_large", name, None, "", size=megabytes(size), limit=megabytes(limits.max_file_bytes))


def shape_issue(name: str, sheet: str | None, rows: int, columns: int, limits: ReadLimits) -> Issue | None:
    """The error for a file or sheet past the rows, columns or cells limit, else None.

    ``rows`` and ``columns`` are the grid the reader would build: to the last row and
    column holding a cell, header included.
    """
    variant = "sheet" if sheet is not None else ""
    if rows > limits.max_rows:
        return file_issue("too_many_rows", name, sheet, variant, rows=float(rows), limit=float(limits.max_rows))
    if columns > limits.max_columns:
        return file_issue("too_many_columns", name, sheet, variant, columns=float(columns),
                          limit=float(limits.max_columns))
    if rows * columns > limits.max_cells:
        return file_issue("table_too_large", name, sheet, variant, rows=float(rows), columns=float(columns),
                          cells=float(rows * columns), limit=float(limits.max_cells))
    return None
