"""Decoded CSV text -> a grid of text cells, one row per record, split by Arrow's C reader.

The grid is what a spreadsheet shows of the file: one row per record (a blank line is a
row, a quoted cell holding line breaks is one row), as many columns as the widest
record, every cell text ("" where a record has no such field). Alongside it come the
field count of each record (``core.raw_table`` rejects a value past the header's fields)
and which cells hold something other than spaces.

Two readers give the same grid. The fast one scans the bytes with numpy for record
ends, delimiters and quotes, lets ``pyarrow.csv`` split the records that have the
file's usual field count, and the ``csv`` module the few others (a title line, a short
row). The exact one (the ``csv`` module and pandas, record by record) takes the files
whose quoting the scan cannot follow, and the few others ``exact_reason`` names;
``CsvGrid.reader`` says which reader read the file, and why the exact one.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from core.limits import ReadLimits, shape_issue
from core.report import ERROR, Issue

TEXT = pd.ArrowDtype(pa.string())
DELIMITERS = (";", ",", "\t")  # ties go to the first: ";" files often hold decimal commas
_SNIFF_RECORDS = 50
# What str.strip() removes (str.isspace): a cell made only of these is blank.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_BLANK_PATTERN = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]*$"
_LEADS_BLANK = np.zeros(256, dtype=bool)  # the first UTF-8 byte of each whitespace character
_LEADS_BLANK[[c.encode()[0] for c in WHITESPACE]] = True
_QUOTE, _NEWLINE = ord('"'), ord("\n")

# Why a file goes to the exact reader (see ``exact_reason``).
NUL_CHARACTER = "nul_character"
LEADING_BOM = "leading_bom"
QUOTE_LEFT_OPEN = "quote_left_open"
QUOTE_INSIDE_FIELD = "quote_inside_field"
RECORD_PAST_FIELD_LIMIT = "record_past_field_limit"
READERS_DISAGREE = "readers_disagree"


@dataclass(frozen=True)
class CsvGrid:
    """``grid``: columns 0..width-1 of text cells (``TEXT`` dtype), one row per record;
    ``fields``: fields per record (0 for a blank line); ``filled``: cells not blank;
    ``reader``: "arrow" or the reason the exact reader was used."""

    grid: pd.DataFrame
    fields: np.ndarray
    filled: np.ndarray
    reader: str


def read_grid(name: str, text: str, delimiter: str, limits: ReadLimits) -> CsvGrid | Issue:
    """The file's grid, or the issue that stops reading it (a limit, a parse error).

    ``text`` has "\\n" line ends only. Past ``limits`` (records x widest record) the file
    is not split at all.
    """
    data = text.encode("utf-8")
    records = _scan(data, delimiter)
    reason = records if isinstance(records, str) else exact_reason(data, records)
    if reason is not None:
        return _exact_grid(name, text, delimiter, limits, reason)
    width = max(int(records.fields.max(initial=0)), 1)
    too_large = shape_issue(name, None, len(records.fields), int(records.fields.max(initial=0)), limits)
    if too_large is not None:
        return too_large
    columns = _arrow_columns(data, delimiter, records, width)
    if columns is None:
        return _exact_grid(name, text, delimiter, limits, READERS_DISAGREE)
    grid = pd.DataFrame({j: pd.Series(col, dtype=TEXT) for j, col in enumerate(columns)})
    filled = np.column_stack([~_blank_cells(col) for col in columns])
    return CsvGrid(grid, records.fields, filled, "arrow")


# Excel's first line naming the delimiter ("sep=;"); Excel reads it and does not show it.
_SEP_LINE = re.compile(r'"?sep=([;,\t])"?[ \t]*(?:\n|$)', re.IGNORECASE)


def excel_separator(text: str) -> tuple[str | None, str]:
    """The delimiter a first ``sep=;`` line names and the text after that line, or
    (None, ``text``). Excel hides the line: the header is row 1, as Excel shows it."""
    match = _SEP_LINE.match(text)
    return (match.group(1), text[match.end():]) if match else (None, text)


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most consistent column count (> 1) over the first records.

    A ``;`` file with decimal commas (``P1;7,5``) splits on ``;``: its count is stable
    while the comma count varies, and a tie goes to ``;``.
    """
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(_lines(text), delimiter=delimiter)
        try:
            counts = [len(r) for r in itertools.islice(reader, _SNIFF_RECORDS) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score[0] > best_score[0]:
            best, best_score = delimiter, score
    return best


def _lines(text: str):
    """The lines of ``text`` with their "\\n", as ``io.StringIO(text)`` gives them, made
    only as far as they are read (sniffing reads the first records of a large file)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


# --- The scan: records and fields from the bytes ------------------------------------

@dataclass(frozen=True)
class _Records:
    """Byte span of each record (its line end excluded) and its field count."""

    starts: np.ndarray
    ends: np.ndarray
    fields: np.ndarray


def _scan(data: bytes, delimiter: str) -> _Records | str:
    """Where each record starts and ends, and how many fields it has: line ends and
    delimiters count outside quotes only, where an even number of quotes precedes them.
    That parity is the parser's reading when every quote opens or closes a field;
    otherwise the reason to read the file exactly."""
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(buf == _QUOTE)
    newlines = np.flatnonzero(buf == _NEWLINE)
    delimiters = np.flatnonzero(buf == ord(delimiter))
    if len(quotes):
        reason = _quoting_reason(buf, quotes, ord(delimiter))
        if reason is not None:
            return reason
        newlines = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
        delimiters = delimiters[np.searchsorted(quotes, delimiters) % 2 == 0]
    starts = np.concatenate([[0], newlines + 1])
    ends = np.concatenate([newlines, [len(buf)]])
    if starts[-1] == len(buf):  # the file ends with a line end: no record after it
        starts, ends = starts[:-1], ends[:-1]
    fields = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts) + 1
    fields[starts == ends] = 0  # a blank line: no field at all, as the csv module reads it
    return _Records(starts, ends, fields)


def _quoting_reason(buf: np.ndarray, quotes: np.ndarray, delimiter: int) -> str | None:
    """Why quote parity would misread the file, or None.

    Quotes alternate opening and closing. An opening quote must start a field (after a
    delimiter, a line end, or the closing quote of a doubled ``""``); a closing one must
    end it (before a delimiter, a line end, the end, or the doubled ``""``). A quote
    elsewhere (``12" screen``) is a plain character to the parser, breaking the parity.
    """
    if len(quotes) % 2:
        return QUOTE_LEFT_OPEN  # or a plain quote; the exact reader says which
    edges = np.array([delimiter, _NEWLINE, _QUOTE], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    opens_field = (opening == 0) | np.isin(buf[np.maximum(opening - 1, 0)], edges)
    last = len(buf) - 1
    closes_field = (closing == last) | np.isin(buf[np.minimum(closing + 1, last)], edges)
    if not (opens_field.all() and closes_field.all()):
        return QUOTE_INSIDE_FIELD
    return None


def exact_reason(data: bytes, records: _Records) -> str | None:
    """Why a file whose quoting the scan follows still goes to the exact reader, or None:
    a NUL character (parsers differ on it), a byte-order mark left at the start once
    decoded (a file saved with two: each reader drops it from the first cell, but Arrow
    only from a record of the usual field count), or a record longer than the ``csv``
    module's field limit (the exact reader reports the file as unreadable rather than hold it)."""
    if b"\x00" in data:
        return NUL_CHARACTER
    if data.startswith(codecs.BOM_UTF8):
        return LEADING_BOM
    if len(records.ends) and int((records.ends - records.starts).max()) > csv.field_size_limit():
        return RECORD_PAST_FIELD_LIMIT
    return None


# --- Splitting: Arrow for the usual records, the csv module for the others ----------

def _arrow_columns(data: bytes, delimiter: str, records: _Records,
                   width: int) -> list[pa.Array | pa.ChunkedArray] | None:
    """One string array per column, a cell per record; None when Arrow's rows are not
    the scan's records (the caller then reads the file exactly).

    Arrow needs one field count: it gets the most common one and skips blank lines; the
    records of another count are split by the ``csv`` module (a title line, a short or
    long row), blank lines give "".
    """
    import pyarrow.csv as pcsv

    nonblank = records.fields > 0
    usual = int(np.bincount(records.fields[nonblank]).argmax()) if nonblank.any() else 1
    regular = records.fields == usual
    others = np.flatnonzero(nonblank & ~regular)
    names = [str(j) for j in range(usual)]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=b'"' in data,
                                            ignore_empty_lines=True,
                                            invalid_row_handler=_skip_row if len(others) else None),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, check_utf8=False),
        ) if regular.any() else pa.table({n: pa.array([], pa.string()) for n in names})
    except pa.ArrowInvalid:
        return None
    if table.num_rows != int(regular.sum()):
        return None
    if not len(others) and regular.all() and usual == width:
        return table.columns
    split = _split_exactly(data, records, others, delimiter)
    # Each record's cell: its Arrow row, its csv-module row, or the one "" at the end.
    n_regular = table.num_rows
    source = np.full(len(records.fields), n_regular + len(others), dtype=np.int64)
    source[regular] = np.arange(n_regular)
    source[others] = n_regular + np.arange(len(others))
    columns = []
    beyond = np.where(regular, len(others), source - n_regular)  # past the usual fields: no Arrow cell
    for j in range(width):
        cells = pa.array([row[j] if j < len(row) else "" for row in split] + [""], pa.string())
        if j < usual:
            columns.append(pa.concat_arrays([table.column(j).combine_chunks(), cells]).take(pa.array(source)))
        else:
            columns.append(cells.take(pa.array(beyond)))
    return columns


def _skip_row(row) -> str:
    return "skip"  # a record of another field count: split by the csv module instead


def _split_exactly(data: bytes, records: _Records, positions: np.ndarray, delimiter: str) -> list[list[str]]:
    """The fields of the records at ``positions`` (none blank), by the ``csv`` module."""
    texts = [data[records.starts[k]:records.ends[k]].decode("utf-8") for k in positions]
    return list(csv.reader(io.StringIO("\n".join(texts)), delimiter=delimiter))


def _blank_cells(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True where the cell is "" or only whitespace (as ``str.strip`` sees it). Only cells
    whose first byte can start a whitespace character are matched against the pattern."""
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        return np.concatenate([np.zeros(0, dtype=bool), *map(_blank_cells, column.chunks)])
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[column.offset:column.offset + len(column) + 1]
    blank = offsets[1:] == offsets[:-1]
    if column.buffers()[2] is None or blank.all():
        return blank
    values = np.frombuffer(column.buffers()[2], dtype=np.uint8)
    # An empty cell's "first byte" is the next cell's: harmless, the cell is blank already.
    first = values[np.minimum(offsets[:-1], len(values) - 1)]
    doubtful = np.flatnonzero(_LEADS_BLANK[first] & ~blank)
    if len(doubtful):
        matched = pc.match_substring_regex(column.take(pa.array(doubtful)), _BLANK_PATTERN)
        blank[doubtful] = matched.to_numpy(zero_copy_only=False)
    return blank


# --- The exact reader ---------------------------------------------------------------

def _exact_grid(name: str, text: str, delimiter: str, limits: ReadLimits, reason: str) -> CsvGrid | Issue:
    """The grid by the ``csv`` module (field counts) and pandas (cells), record by record."""
    try:
        # Fields per record: pandas pads short rows with "", so only this tells how many
        # fields the header row really has.
        fields = np.fromiter(map(len, csv.reader(io.StringIO(text), delimiter=delimiter)), dtype=np.int64)
        too_large = shape_issue(name, None, len(fields), int(fields.max(initial=0)), limits)
        if too_large is not None:
            return too_large
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(max(fields.max(initial=0), 1)),
                           dtype=str, keep_default_na=False, skip_blank_lines=False, engine="c")
    except (csv.Error, pd.errors.ParserError, ValueError):
        # The exception's text can quote cells, so the report gives a fixed sentence: in
        # practice a quote left open swallows the rest of the file (pandas: "EOF inside
        # string"; csv: "field larger than field limit").
        return Issue.of(ERROR, "unreadable_file", {}, variant="csv", file=name)
    # A field missing from a short row, or a blank line, reads as "".
    grid = grid.astype(object).fillna("")
    columns = [pa.array(grid[j].to_numpy(dtype=object), type=pa.string()) for j in grid.columns]
    filled = np.column_stack([~_blank_cells(col) for col in columns])
    return CsvGrid(pd.DataFrame({j: pd.Series(col, dtype=TEXT) for j, col in enumerate(columns)}), fields, filled,
                   reason)
