"""Property-based tests (hypothesis) of the CSV reader and the cell readers: whatever
the table, every row read is kept or reported; no cell makes a reader raise."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import schema
from core.formats import read_files
from core.loader import load_cohort
from core.values import _PARSERS, is_missing, normalise_text, parse_column

_FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text a French registry holds, all of it encodable in cp1252.
_TEXT = st.text(alphabet="abcXYZ019 éèôçÉ-'/", min_size=0, max_size=12)
_DECIMAL = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
_CELL = st.one_of(_TEXT, st.integers(-10_000, 10_000).map(str), _DECIMAL.map(lambda d: str(d).replace(".", ",")))


@st.composite
def _tables(draw):
    """(file bytes, data rows as written, delimiter, quoted): a header of named columns
    and rows of text and numbers with decimal commas, in cp1252 or UTF-8."""
    width = draw(st.integers(2, 5))
    headers = [f"col{k}" for k in range(width)]
    rows = draw(st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=1, max_size=12))
    delimiter = draw(st.sampled_from([";", ","]))
    quoted = draw(st.booleans())  # unquoted: a decimal comma in a comma file shifts its row
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if quoted:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows([headers, *rows])
        text = buffer.getvalue()
    else:
        text = "".join(delimiter.join(r) + newline for r in [headers, *rows])
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
    return text.encode(encoding), rows, delimiter, quoted


def _blank(row: list[str]) -> bool:
    return all(not cell.strip() for cell in row)


@_FAST
@given(_tables())
def test_every_row_read_is_kept_or_reported(table):
    content, rows, delimiter, quoted = table
    tables, issues = read_files([("t.csv", content)])
    written = [k + 2 for k, row in enumerate(rows) if not _blank(row)]  # spreadsheet rows with content
    kept = [int(n) for t in tables for n in t.row_numbers]
    rejected = sorted(i.row for i in issues if i.code == "too_many_cells" and i.row is not None)
    if any(i.code == "too_many_cells" and i.variant == "all" for i in issues):
        assert not tables and all(i.severity == "error" for i in issues if i.code == "too_many_cells")
        return
    assert sorted(kept + rejected) == written
    assert sum(t.rejected for t in tables) == len(rejected)
    if quoted or delimiter == ";":
        # Nothing shifts: every row is kept with its cells as written.
        assert not rejected
        assert not [i for i in issues if i.severity == "error"] or not written  # blank rows only: header_only
        cells = [list(r) for t in tables for r in t.data.itertuples(index=False)]
        assert cells == [row for row in rows if not _blank(row)]


@_FAST
@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["F", "M", "x", ""]), _CELL), min_size=1, max_size=15),
       st.sampled_from([";", ","]))
def test_cohort_counts_add_up(patients, delimiter):
    lines = [delimiter.join(["patient_id", "sex", "age"])]
    lines += [delimiter.join([f"P{pid}", sex, age]) for pid, sex, age in patients]
    result = load_cohort([("p.csv", ("\n".join(lines) + "\n").encode())])
    for count in result.report.counts.values():
        assert count.read == count.kept + count.rejected
    listed = [i for i in result.report.issues if i.severity == "rejected"]
    if "patients" in result.report.counts:
        assert result.report.counts["patients"].rejected == len(listed)


_NATIVE = st.one_of(
    st.none(), _TEXT, st.text(max_size=8), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.dates().map(lambda d: d),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["NA", "n/a", "?", "+", "--", "M3", "3 mois", "7,5", "1e400", "−2", "oui", "non"]))


@_FAST
@given(st.lists(_NATIVE, max_size=20), st.sampled_from(sorted(_PARSERS)))
def test_cell_readers_never_raise_and_flag_only_filled_cells(cells, kind):
    series = pd.Series(cells, dtype=object)
    parsed = parse_column(series, kind)
    assert len(parsed.values) == len(series) and len(parsed.invalid) == len(series)
    missing = is_missing(series, kind)
    assert not (parsed.invalid & missing).any()
    # A cell is a value, missing, or flagged: never silently dropped.
    assert (parsed.values.notna() | missing | parsed.invalid).all()


@_FAST
@given(st.lists(_NATIVE, max_size=20))
def test_normalised_text_is_idempotent(cells):
    once = normalise_text(pd.Series(cells, dtype=object))
    twice = normalise_text(once.astype(object).where(once.notna(), None))
    assert once.fillna("<NA>").tolist() == twice.fillna("<NA>").tolist()


@_FAST
@given(st.lists(st.one_of(st.none(), _TEXT, _DECIMAL.map(str), _DECIMAL.map(float)), max_size=20),
       st.sampled_from([schema.NUMBER, schema.TEXT, schema.SEX, schema.BOOL]))
def test_reading_read_values_again_changes_nothing(cells, kind):
    first = parse_column(pd.Series(cells, dtype=object), kind).values
    again = parse_column(first.astype(object).where(first.notna(), None), kind)
    assert not again.invalid.any()
    same = (again.values == first) | (again.values.isna() & first.isna())
    if kind == schema.NUMBER:
        same |= pd.Series([isinstance(a, float) and isinstance(b, float) and math.isclose(a, b)
                           for a, b in zip(again.values, first)], dtype=bool)
    assert same.fillna(False).all()
