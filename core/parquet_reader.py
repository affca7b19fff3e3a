"""Parquet bytes -> one raw table, its columns kept typed.

The file is measured from its metadata before it is read (rows, columns, uncompressed
size: ``core.limits``). Numbers, booleans and text stay typed columns, so that nothing
reads them cell by cell; bytes and nested values (lists, structs, maps) become text; a
row whose every cell is blank is left out. pyarrow is
imported only when a Parquet file is read.
"""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from core.limits import ReadLimits, megabytes, shape_issue
from core.raw_table import RawTable, header_text
from core.report import WARNING, Issue, file_issue
from core.workers import map_in_threads

# The unnamed index pandas stores in a Parquet file; a named index is a column.
_INDEX_COLUMN = re.compile(r"__index_level_\d+__")
# Windows-1252 where it defines a byte, latin-1 (the byte's own code point) where it
# does not (0x81, 0x8D, 0x8F, 0x90, 0x9D): how ``core.csv_text`` reads such bytes.
_CP1252 = str.maketrans({chr(b): bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                         if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)})
_UTF8_LENGTH = np.array([len(chr(b).translate(_CP1252).encode()) for b in range(256)], dtype=np.int64)


def read_parquet(name: str, content: bytes, limits: ReadLimits) -> tuple[list[RawTable], list[Issue]]:
    """The one table of a Parquet file, or the issue that kept it from being read."""
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(io.BytesIO(content))
        meta = source.metadata
        # The grid as a spreadsheet export of it would be: a header row, then the rows.
        too_large = shape_issue(name, None, meta.num_rows + 1, meta.num_columns, limits)
        if too_large is None and _parquet_bytes(meta) > limits.max_uncompressed_bytes:
            too_large = file_issue("file_too_large", name, None, "uncompressed", size=megabytes(_parquet_bytes(meta)),
                                   limit=megabytes(limits.max_uncompressed_bytes))
        if too_large is not None:
            return [], [too_large]
        arrow = source.read()
        names, texts, issues = [], [], []
        for i, field in enumerate(arrow.schema):
            if _INDEX_COLUMN.fullmatch(field.name):
                continue
            column, utf8 = _as_text(arrow.column(i))
            if not utf8:
                header = header_text(field.name)
                issues.append(Issue.of(WARNING, "column_not_utf8", {"header": header}, file=name, column=header))
            names.append(field.name)
            texts.append(column)
        # A few columns at a time (a registry's visits: 0.07 s, not 0.1 to 0.18 s on two cores).
        columns = [(n, *read) for n, read in zip(names, map_in_threads(_parquet_column, texts))]
    except Exception as exc:  # pyarrow raises several types for corrupt files
        return [], [file_issue("unreadable_file", name, None, "parquet", kind=type(exc).__name__)]
    headers = tuple(header_text(c) for c, _, _ in columns)
    if not headers:
        return [], [file_issue("empty_file", name, None, "parquet")]
    # Nothing else holds these columns (the float ones are read-only views of Arrow's
    # buffers): the frame need not copy them.
    data = pd.DataFrame({i: cells for i, (_, cells, _) in enumerate(columns)}, index=pd.RangeIndex(meta.num_rows),
                        copy=False)
    # No header row in Parquet: number rows as a spreadsheet export of it would.
    rows = np.arange(2, len(data) + 2)
    keep = ~np.logical_and.reduce([blank for _, _, blank in columns])
    if not keep.all():  # a blank row is left out (a mask would copy every column)
        data, rows = data[keep].reset_index(drop=True), rows[keep]
    table = RawTable(name, None, headers, data, rows, 1)
    return [table], issues


def _parquet_bytes(meta) -> int:
    """The uncompressed size of a Parquet file's data, as its row groups declare it."""
    return sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))


def _parquet_column(column) -> tuple[pd.Series, np.ndarray]:
    """One Parquet column as cells, and where its cells are blank (null, or text of spaces).

    Typed columns stay typed, so that nothing reads them cell by cell: whole numbers as
    nullable integers (never floats, as numpy would make a column with nulls), floats
    (decimals, single and half floats too: ``_as_written``) as floats, booleans as
    nullable booleans, text (dictionary-encoded too) as Arrow-backed text. Other types
    (dates, times) become native Python cells. Missing cells are NA (None for Python cells).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_decimal(kind) and kind.scale == 0:
        # Whole numbers as their exact digits (an id exported as NUMBER(38) by Oracle or a
        # SQL export has more digits than a float holds): text, which each column's
        # kind then reads (an id as written, a number as a number).
        column, kind = column.cast(pa.string()), pa.string()
    elif pa.types.is_decimal(kind) or (pa.types.is_floating(kind) and kind != pa.float64()):
        column, kind = _as_written(column), pa.float64()
    blank = column.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        column = column.cast(pa.large_string())
        # Blank: null, empty, or only whitespace (what trimming it would empty), told
        # without trimming a copy of every cell; null OR anything is true (Kleene).
        spaces = pc.or_(pc.utf8_is_space(column), pc.equal(pc.binary_length(column), 0))
        blank = pc.or_kleene(column.is_null(), spaces).to_numpy(zero_copy_only=False)
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


def _as_written(column):
    """A decimal, single or half float column as the float64 of the decimal number each
    cell shows (null stays missing).

    Widening the binary value itself would change what the user wrote: float32 0.9 is
    0.899999976..., and Arrow's decimal cast gives 0.8999999999999999 for 0.900000, so a
    C3 of 0.9 would read as below the 0.9 g/L threshold. A decimal is read through its
    exact text, a float through the shortest text that reads back as the same float (what
    pandas and a spreadsheet show: 0.9), then parsed as float64.
    """
    import pyarrow as pa

    if pa.types.is_float16(column.type):
        # Arrow writes a half float's exact binary expansion (0.0999755859375); numpy
        # writes its shortest text (0.1).
        halves = column.cast(pa.float32()).to_numpy().astype(np.float16)
        return pa.chunked_array([pa.array(halves.astype(str)).cast(pa.float64())])
    return column.cast(pa.string()).cast(pa.float64())


def _as_text(column):
    """A column of bytes or of nested values as text, and whether its bytes were UTF-8;
    any other column as it is (True).

    Bytes are text stored without Parquet's UTF-8 annotation (older Hive, Impala or
    Spark writers): read as UTF-8 when every cell is, else as Windows-1252, as a CSV
    file would be (``column_not_utf8`` says so). Lists, structs and maps are written as
    DuckDB writes them (``[HCQ, MTX]``, ``{'crp': 1.0}``, ``{a=1}``), so that the
    column is kept as an extra column rather than failing the upload.
    """
    import pyarrow as pa

    kind = column.type
    if pa.types.is_dictionary(kind) and _is_bytes(kind.value_type):
        column, kind = column.cast(kind.value_type), kind.value_type
    if _is_bytes(kind):
        column = column.cast(pa.large_binary())
        try:
            return column.cast(pa.large_string()), True
        except pa.ArrowInvalid:  # not valid UTF-8
            return pa.chunked_array([_single_byte(column.combine_chunks())], pa.large_string()), False
    if pa.types.is_nested(kind):
        import duckdb

        # In memory only, as the cohort's own connection (``core.db``).
        with duckdb.connect(":memory:", config={"temp_directory": ""}) as con:
            con.register("nested", pa.table({"cells": column}))
            text = con.sql("SELECT CAST(cells AS VARCHAR) AS cells FROM nested").to_arrow_table()
        return text.column(0).cast(pa.large_string()), True
    return column, True


def _is_bytes(kind) -> bool:
    import pyarrow as pa

    return (pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind)
            or pa.types.is_binary_view(kind))


def _single_byte(column):
    """Bytes as Windows-1252 text (``_CP1252``), all at once: one byte is one character,
    so each cell's end moves by the UTF-8 length of the characters before it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset:column.offset + len(column) + 1]
    data = column.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]] if data is not None else np.empty(0, np.uint8)
    text = raw.tobytes().decode("latin-1").translate(_CP1252).encode()
    ends = np.concatenate([[0], np.cumsum(_UTF8_LENGTH[raw])])[offsets - offsets[0]]
    cells = pa.LargeStringArray.from_buffers(len(column), pa.py_buffer(ends.astype(np.int64)), pa.py_buffer(text))
    return pc.if_else(column.is_null(), pa.scalar(None, pa.large_string()), cells)
