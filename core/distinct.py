"""Columns worked on once per distinct cell: ``parse_cells`` reads a whole column as
``values.parse_column`` does, and ``per_distinct`` computes anything over the distinct
cells of a column and spreads the result back to every cell. ``core.layout`` and
``core.validate`` read every uploaded column through them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from core.values import Parsed, arrow_text, is_text_column, parse_column, parse_typed


def parse_cells(series: pd.Series, kind: str) -> Parsed:
    """``values.parse_column``: a typed column as stored, else once per distinct cell."""
    typed = parse_typed(series, kind)
    if typed is not None:
        return typed
    return per_distinct(lambda cells: parse_column(cells, kind), series)


# Columns whose non-missing cells are all of one kind of Python value: text, booleans,
# or numbers (ints and floats read alike, 1 and 1.0 give the same value in every kind).
_ONE_KIND = frozenset({"string", "boolean", "floating", "integer", "mixed-integer-float", "empty"})


def per_distinct(compute, series: pd.Series):
    """``compute`` over the distinct cells of a column, spread back to every cell:
    columns repeat a few words (oui/non, F/M, ND) or values (a typed Parquet column of
    ages or flags), so a large upload parses each distinct cell once. Missing cells
    (None, NaN, NA) all parse as one missing cell. A typed column (numbers, booleans,
    Arrow text) is factorised as it is stored, without a Python object per cell. A
    column of Python cells mixing kinds of values (native workbook cells: True, 1 and
    1.0 hash alike but read differently) goes whole, and so does a large column of ASCII
    text whose cells are nearly all distinct (ids: ``_mostly_distinct``).
    """
    if is_text_column(series) and _mostly_distinct(series):
        # Ids: as many distinct cells as rows, or nearly (a visit repeats its patient's
        # id a few times): read whole, faster than encoded and spread back.
        return compute(series.rename(None))
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        # Arrow text, encoded by Arrow (a third of pandas' time on a registry's ids);
        # one missing cell among the distinct cells stands for every missing cell.
        encoded = pc.dictionary_encode(arrow_text(series), null_encoding="encode")
        codes = encoded.indices.to_numpy().astype(np.intp)
        return _spread(compute(pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary))), codes, series.index)
    if series.dtype == object:
        if pd.api.types.infer_dtype(series, skipna=True) not in _ONE_KIND:
            return compute(series)
        codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    else:
        codes, uniques = pd.factorize(series)
    # One trailing missing cell stands for every missing cell (code -1).
    codes = np.where(codes < 0, len(uniques), codes)
    if is_text_column(series):
        cells = pd.Series(uniques).reindex(range(len(uniques) + 1))  # text stays in Arrow
    else:
        cells = pd.Series([*np.asarray(uniques.astype(object)), None], dtype=object)
    return _spread(compute(cells), codes, series.index)


# Cells of a text column looked at to tell ids from words, and how many of them must be
# distinct for the column to be read whole.
_SAMPLE = 1024
_DISTINCT = 1000


def _mostly_distinct(series: pd.Series) -> bool:
    """Whether a large text column holds ids: ``_SAMPLE`` cells spread over it, nearly
    all distinct (words and codes repeat: oui, non, ND, a drug's name, a centre; a
    visits table repeats its patients' ids a few rows apart at most), and ASCII (read in
    Arrow whole at little cost per cell; other text goes cell by cell, once per distinct cell)."""
    if len(series) <= _SAMPLE:
        return False
    sample = arrow_text(series.iloc[np.linspace(0, len(series) - 1, _SAMPLE).astype(np.intp)])
    return (pc.count_distinct(sample, mode="all").as_py() >= _DISTINCT
            and pc.all(pc.string_is_ascii(sample)).as_py() is not False)


def _spread(result, codes: np.ndarray, index: pd.Index):
    """A result over distinct cells (a Series, or a ``Parsed`` pair) given back to every
    cell: cell i takes the result of distinct cell ``codes[i]``."""

    def spread(part: pd.Series) -> pd.Series:
        # The values' array taken directly: Series.take would also take the index.
        return pd.Series(part.array.take(codes), index=index, name=part.name)

    return Parsed(spread(result.values), spread(result.invalid)) if isinstance(result, Parsed) else spread(result)
