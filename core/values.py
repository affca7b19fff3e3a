"""Vectorised cell parsers: one column of raw cells -> typed values, per schema kind.

Cells are text (CSV) or native workbook values (float, int, bool, date, str) or None.
Each parser returns the values and a mask of the cells that held something neither
missing nor readable, so the caller can report them; nothing is guessed silently.
Range checks are not done here (``Column.low``/``high`` are applied by validation).

Reference: cohort-format.md, version 1, section "Values".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core import schema

# Combining marks left by NFKD (accents); the blocks where Latin-script marks live.
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_COMBINING_RE = re.compile(_COMBINING)
_NON_ALNUM = r"[^a-z0-9]+"
_NON_ALNUM_RE = re.compile(_NON_ALNUM)

_NUMBER = r"[+\-\u2212]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+\-]?\d+)?"
# Units that do not change the number's meaning in any cohort column. Units that would
# (mg/kg, g, mg/dL, mois for a duration in years) are deliberately absent: such cells
# are reported as unreadable rather than misread.
_UNITS = (r"(?:mg(?:\s*/\s*(?:j|jour|d|day|24\s*h))?|g\s*/\s*l|(?:ui|iu|u)\s*/\s*ml|ui|iu"
          r"|ans?|years?|yrs?|y|%)")
_NUMBER_RE = re.compile(rf"^\s*({_NUMBER})\s*{_UNITS}?\s*$", re.IGNORECASE)
_PLAIN_NUMBER_RE = re.compile(rf"^\s*({_NUMBER})\s*$")
# "M3", "m12", "Mois 3", "3", "3 mois": the month since first dose.
_MONTH_RE = re.compile(rf"^\s*(?:m|mois|months?)?\s*({_NUMBER})\s*(?:mois|months?)?\s*$", re.IGNORECASE)
# Beyond 2**53 a float no longer holds every integer exactly.
_MAX_EXACT = 2.0**53
_MAX_EXACT_INT = int(_MAX_EXACT)
# Whole floats below this are written as integers (Arrow's 38-digit decimals).
_MAX_DECIMAL = 1e38


@dataclass(frozen=True)
class Parsed:
    """Parsed values (same index as the input; missing = NA) and the unreadable cells."""

    values: pd.Series
    invalid: pd.Series


def is_text_column(series: pd.Series) -> bool:
    """Whether ``series`` is stored as text (pandas' string dtypes): every cell is text or NA."""
    return isinstance(series.dtype, pd.StringDtype) or (
        isinstance(series.dtype, pd.ArrowDtype)
        and (pa.types.is_string(series.dtype.pyarrow_dtype) or pa.types.is_large_string(series.dtype.pyarrow_dtype)))


def arrow_text(series: pd.Series) -> pa.Array:
    """A text column (``is_text_column``) as one Arrow array of large strings."""
    cells = pa.array(series.array, type=pa.large_string())
    return cells.combine_chunks() if isinstance(cells, pa.ChunkedArray) else cells


def normalise_text(series: pd.Series) -> pd.Series:
    """``schema.normalise`` over a column: NA where the cell is not text."""
    if is_text_column(series):
        is_text = series.notna().to_numpy(dtype=bool)
        text = arrow_text(series[is_text])
    else:
        cells = series.to_numpy(dtype=object)
        is_text = np.fromiter((isinstance(v, str) for v in cells), dtype=bool, count=len(cells))
        text = pa.array(cells[is_text], type=pa.large_string())
    out = np.full(len(series), np.nan, dtype=object)
    if is_text.any():
        ascii_ = pc.string_is_ascii(text).to_numpy(zero_copy_only=False)
        # ASCII text (most cells) has no accent to decompose: lower case, runs of other
        # characters to "_", trimmed, all in Arrow; other text cell by cell.
        plain = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(text.filter(ascii_)), _NON_ALNUM, "_"), "_")
        normalised = np.empty(len(text), dtype=object)
        normalised[ascii_] = plain.to_numpy(zero_copy_only=False)
        normalised[~ascii_] = [_normalise_cell(v) for v in text.filter(pa.array(~ascii_)).to_pylist()]
        out[is_text] = normalised
    return pd.Series(out, index=series.index, dtype=object)


def _normalise_cell(text: str) -> str:
    if not text.isascii():
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
    return _NON_ALNUM_RE.sub("_", text.lower()).strip("_")


def is_missing(series: pd.Series, kind: str | None = None) -> pd.Series:
    """True where the cell is blank or a missing marker (NA, N/A, ND, NC, ?, nan, null).

    With a ``kind`` other than text, a cell of marks other than ``?`` (``+``, ``-``, ``/``,
    ``*``, ``—``) is not missing although it normalises to nothing like a blank: the IFN
    signs are values, and the other kinds report such a cell as unreadable, not drop it.
    """
    raw = series.reset_index(drop=True)
    words = _ascii_missing_words(raw) if is_text_column(raw) else None
    if words is not None:
        missing = raw.isna().to_numpy(dtype=bool) | words
    else:
        raw = raw.astype(object)
        missing = (raw.isna() | normalise_text(raw).isin(schema.MISSING_WORDS)).to_numpy(dtype=bool)
    if kind not in (None, schema.TEXT) and missing.any():
        missing, cells = missing.copy(), raw[missing].astype(object)
        missing[np.flatnonzero(missing)[cells.map(_marks_only).to_numpy(dtype=bool)]] = False
    return pd.Series(missing, index=series.index)


def _marks_only(cell: object) -> bool:
    """Whether a cell is text of punctuation or symbols only, besides the ``?`` the
    contract lists as missing (``+``, ``-``, ``−``, ``/``, ``*``): a value, not a blank."""
    return (isinstance(cell, str) and _normalise_cell(cell) == ""
            and any(unicodedata.category(ch)[0] in "PS" for ch in cell if ch != "?"))


def ascii_alnum_with_digit(text: pa.Array) -> np.ndarray:
    """Whether each cell of Arrow text is ASCII letters and digits with a digit among
    them (P000123: most ids; a null cell is not): two cheap passes, no regular expression."""
    return pc.fill_null(pc.and_(pc.ascii_is_alnum(text), pc.invert(pc.ascii_is_alpha(text))), False).to_numpy(
        zero_copy_only=False)


def has_digit(text: pa.Array) -> np.ndarray:
    """Whether each cell of Arrow text has a digit (0-9; a null cell has none).

    Cells of ASCII letters and digits, not all letters (``ascii_alnum_with_digit``), are
    told at once; a regular expression reads only the other cells.
    """
    plain = ascii_alnum_with_digit(text)
    rest = np.flatnonzero(~plain)
    if len(rest):
        asked = text if len(rest) == len(text) else text.take(pa.array(rest))
        plain[rest] = pc.fill_null(pc.match_substring_regex(asked, "[0-9]"), False).to_numpy(zero_copy_only=False)
    return plain


def _ascii_missing_words(text: pd.Series) -> np.ndarray | None:
    """Where a text column's cells are missing markers, all in Arrow; None when a cell is
    not ASCII (accents need ``normalise_text``'s decomposition)."""
    cells = arrow_text(text)
    if not pc.all(pc.string_is_ascii(cells)).as_py() in (True, None):
        return None
    # No missing marker has a digit: only the other cells (few in an id column) are normalised.
    maybe = ~has_digit(cells)
    missing = np.zeros(len(cells), dtype=bool)
    if maybe.any():
        some = cells.filter(pa.array(maybe))
        normalised = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(some), _NON_ALNUM, "_"), "_")
        words = pa.array(sorted(schema.MISSING_WORDS), type=pa.large_string())
        missing[maybe] = pc.fill_null(pc.is_in(normalised, value_set=words), False).to_numpy(zero_copy_only=False)
    return missing


def parse_typed(series: pd.Series, kind: str) -> Parsed | None:
    """A column stored typed (Parquet numbers, booleans) read without a cell-by-cell
    parse, exactly as ``parse_column`` would read it; None when the kind needs the parser
    (a sex, a response or a flag from numbers, a number from booleans, text).

    Numbers are numbers (NaN missing); a whole-number kind takes whole numbers within
    the exact range and reports the rest; booleans are booleans.
    """
    dtype = series.dtype
    numeric = dtype == np.float64 or isinstance(dtype, pd.Int64Dtype)
    if kind in (schema.NUMBER, schema.EVENT_MONTH) and numeric:
        values = series.astype("Float64")
    elif kind in (schema.INTEGER, schema.MONTH) and isinstance(dtype, pd.Int64Dtype):
        # Whole numbers already: those within the exact range, compared as integers.
        whole = series.to_numpy(dtype=np.int64, na_value=0)
        ok = ~series.isna().to_numpy(dtype=bool) & (whole > -_MAX_EXACT_INT) & (whole < _MAX_EXACT_INT)
        values = pd.Series(pd.arrays.IntegerArray(np.where(ok, whole, 0), ~ok), index=series.index)
    elif kind in (schema.INTEGER, schema.MONTH) and numeric:
        number = series.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(number) & (np.floor(number) == number) & (np.abs(number) < _MAX_EXACT)
        values = pd.Series(pd.arrays.IntegerArray(np.where(ok, number, 0).astype(np.int64), ~ok), index=series.index)
    elif kind == schema.BOOL and isinstance(dtype, pd.BooleanDtype):
        values = series
    else:
        return None
    invalid = (values.isna() & series.notna()).astype(bool)
    if dtype == np.float64:
        invalid &= ~np.isnan(series.to_numpy())
    return Parsed(values=values, invalid=invalid)


def parse_column(series: pd.Series, kind: str) -> Parsed:
    """Parse one column of raw cells (str or native Excel values) as ``kind`` (schema kinds)."""
    try:
        parser = _PARSERS[kind]
    except KeyError:
        raise ValueError(f"unknown value kind: {kind!r}") from None
    # Work on positions so that a repeated index label cannot misalign the masks. Text
    # read as text stays in Arrow (an id column has as many distinct cells as rows).
    raw = series.reset_index(drop=True)
    if not (kind == schema.TEXT and is_text_column(raw)):
        raw = raw.astype(object)
    missing = is_missing(raw, kind)
    values = parser(raw.where(~missing, None))
    invalid = (~missing & values.isna()).astype(bool)
    return Parsed(values=values.set_axis(series.index), invalid=invalid.set_axis(series.index))


# --- Cell types ----------------------------------------------------------------------

def _type_class(cell_type: type) -> str:
    if issubclass(cell_type, str):
        return "str"
    if issubclass(cell_type, (bool, np.bool_)):
        return "bool"
    if issubclass(cell_type, (int, float, np.integer, np.floating)):
        return "number"
    return "other"


def _cell_types(series: pd.Series) -> pd.Series:
    """Per cell: "str", "bool", "number" or "other" (dates, None...), by Python type."""
    types = series.astype(object).map(type)
    classes = {t: _type_class(t) for t in types.unique()}
    return types.map(classes).astype(object)


def _stripped(raw: pd.Series) -> pd.Series:
    return raw.where(_cell_types(raw).eq("str")).str.strip()


def _empty(raw: pd.Series, dtype: str) -> pd.Series:
    return pd.Series(pd.NA, index=raw.index, dtype=dtype)


# --- Numbers -------------------------------------------------------------------------

def _numbers(raw: pd.Series, pattern: re.Pattern) -> pd.Series:
    """Float64 from native numbers (bools excluded) and from text matching ``pattern``."""
    types = _cell_types(raw)
    out = _empty(raw, "Float64")
    native = types.eq("number")
    if native.any():
        out[native] = pd.to_numeric(raw[native].astype(float), errors="coerce")
    text = types.eq("str")
    if text.any():
        digits = raw[text].str.extract(pattern, expand=False)
        digits = digits.str.replace(",", ".", regex=False).str.replace("\u2212", "-", regex=False)
        out[text] = pd.to_numeric(digits, errors="coerce")
    return out.astype("Float64")


def _whole(values: pd.Series) -> pd.Series:
    """Int64 where the number is whole (2.0 -> 2); NA for 2.5 or beyond exact range."""
    ok = values.notna() & (values % 1 == 0) & (values.abs() < _MAX_EXACT)
    out = _empty(values, "Int64")
    ok = ok.fillna(False).astype(bool)
    out[ok] = values[ok].astype("Int64")
    return out


def _parse_number(raw: pd.Series) -> pd.Series:
    return _numbers(raw, _NUMBER_RE)


def _parse_integer(raw: pd.Series) -> pd.Series:
    return _whole(_numbers(raw, _NUMBER_RE))


def _parse_month(raw: pd.Series) -> pd.Series:
    return _whole(_numbers(raw, _MONTH_RE))


def _parse_event_month(raw: pd.Series) -> pd.Series:
    return _numbers(raw, _MONTH_RE)


# --- Words ---------------------------------------------------------------------------

def _words(raw: pd.Series, vocabulary: dict[str, str]) -> pd.Series:
    """Text cells looked up in ``vocabulary`` after normalisation; non-text cells NA."""
    return normalise_text(raw).map(vocabulary).astype("string")


def _parse_bool(raw: pd.Series) -> pd.Series:
    types = _cell_types(raw)
    words = {**{w: True for w in schema.TRUE_WORDS}, **{w: False for w in schema.FALSE_WORDS}}
    out = normalise_text(raw).map(words).astype("boolean")
    native = types.eq("bool")
    out[native] = raw[native].astype(bool)
    # Numbers 1 and 0, native or written "1,0" / "1.0".
    number = _numbers(raw.where(~types.eq("bool")), _PLAIN_NUMBER_RE)
    for value, flag in ((1, True), (0, False)):
        out[out.isna() & number.eq(value).fillna(False).astype(bool)] = flag
    return out


def _parse_ifn(raw: pd.Series) -> pd.Series:
    # Signs first: "-" normalises to "" and would otherwise be lost.
    signs = _stripped(raw).map(schema.IFN_SIGNS).astype("string")
    return signs.fillna(_words(raw, schema.IFN_WORDS))


def _parse_text(raw: pd.Series) -> pd.Series:
    if is_text_column(raw) or pd.api.types.infer_dtype(raw, skipna=True) in ("string", "empty"):
        # Text and missing cells only (a CSV, a text column of Parquet): trimmed as is.
        return raw.str.strip().astype("string")
    types = _cell_types(raw)
    out = _empty(raw, "string").astype(object)
    text = types.eq("str")
    out[text] = raw[text].str.strip()
    number = types.eq("number")
    if number.any():
        cells = raw[number]
        cell_types = cells.map(type)
        integer = cell_types.map({t: issubclass(t, (int, np.integer)) for t in cell_types.unique()}).astype(bool)
        # Integers (a Parquet int64 or uint64 id) are written as they are, never through
        # a float: 9007199254740993 stays itself, not 9007199254740992.
        out[integer[integer].index] = cells[integer].astype(str)
        values = cells[~integer].astype(float)
        finite_whole = np.isfinite(values) & (values % 1 == 0)
        exact = finite_whole & (values.abs() < _MAX_EXACT)
        large = finite_whole & ~exact & (values.abs() < _MAX_DECIMAL)
        # An identifier typed in Excel comes back as 42.0: it means "42".
        out[values.index[exact]] = values[exact].astype("int64").astype(str)
        if large.any():
            # A whole float past 2**53 as the integer its shortest text shows
            # (1.2345678901234568e+18 -> "1234567890123456800"), never in exponent form.
            shown = pa.array(values[large].to_numpy()).cast(pa.string()).cast(pa.decimal128(38, 0))
            out[values.index[large]] = shown.cast(pa.string()).to_numpy(zero_copy_only=False)
        rest = ~exact & ~large
        out[values.index[rest]] = values[rest].astype(str)
    flag = types.eq("bool")
    out[flag] = raw[flag].astype(bool).map({True: "TRUE", False: "FALSE"})
    other = types.eq("other") & raw.notna()
    out[other] = raw[other].astype(str)
    return out.astype("string")


_PARSERS = {
    schema.TEXT: _parse_text,
    schema.SEX: lambda raw: _words(raw, schema.SEX_WORDS),
    schema.NUMBER: _parse_number,
    schema.INTEGER: _parse_integer,
    schema.BOOL: _parse_bool,
    schema.RESPONSE: lambda raw: _words(raw, schema.RESPONSE_WORDS),
    schema.IFN: _parse_ifn,
    schema.MONTH: _parse_month,
    schema.EVENT_MONTH: _parse_event_month,
    schema.EVENT_TYPE: lambda raw: _words(raw, schema.EVENT_TYPE_WORDS),
}
