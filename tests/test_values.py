"""Cell parsers per kind: accepted spellings, missing markers, native Excel values, invalid cells."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core import schema
from core.values import is_missing, normalise_text, parse_column


def _one(cell: object, kind: str) -> tuple[object, bool]:
    """The parsed value (None for NA) and the invalid flag of a single cell."""
    parsed = parse_column(pd.Series([cell], dtype=object), kind)
    value = parsed.values.iloc[0]
    return (None if pd.isna(value) else value), bool(parsed.invalid.iloc[0])


MISSING_MARKERS = ["", "   ", "NA", "na", "N/A", "n/a", "ND", "N.D.", "NC", "n.c.", "?", "nan", "NaN", "null", "NULL", None, np.nan]


@pytest.mark.parametrize("cell", MISSING_MARKERS)
def test_missing_marker_is_missing(cell):
    assert is_missing(pd.Series([cell], dtype=object)).tolist() == [True]


@pytest.mark.parametrize("cell", ["0", "NR", "non", "x", "-1", 0.0, False, "M0"])
def test_value_that_looks_empty_is_not_missing(cell):
    assert is_missing(pd.Series([cell], dtype=object)).tolist() == [False]


@pytest.mark.parametrize("kind", [schema.TEXT, schema.SEX, schema.NUMBER, schema.INTEGER, schema.BOOL,
                                  schema.RESPONSE, schema.IFN, schema.MONTH, schema.EVENT_MONTH,
                                  schema.EVENT_TYPE])
@pytest.mark.parametrize("cell", MISSING_MARKERS)
def test_missing_marker_parses_to_na_and_is_not_invalid(kind, cell):
    assert _one(cell, kind) == (None, False)


def test_ifn_signs_are_not_missing_for_ifn_columns():
    cells = pd.Series(["+", "-", "\u2212", "ND"], dtype=object)
    assert is_missing(cells, kind=schema.IFN).tolist() == [False, False, False, True]


@pytest.mark.parametrize(
    "cell, expected",
    [("7,5", 7.5), ("7.5", 7.5), ("7,5 mg/j", 7.5), ("7.5mg/j", 7.5), ("10 mg", 10.0), ("5 mg/d", 5.0),
     ("5 mg/jour", 5.0), ("0,9 g/L", 0.9), ("0.9 g/l", 0.9), ("45 ans", 45.0), ("45 years", 45.0),
     ("45 an", 45.0), ("45 y", 45.0), ("120 UI/mL", 120.0), ("120 IU/mL", 120.0), ("120 ui/ml", 120.0),
     ("12 %", 12.0), (" 3 ", 3.0), ("-2", -2.0), ("\u22122", -2.0), (",5", 0.5), ("1e3", 1000.0),
     ("0042", 42.0), (7.5, 7.5), (3, 3.0), (np.float64(2.25), 2.25)],
)
def test_number_reads_decimal_comma_units_and_native_values(cell, expected):
    assert _one(cell, schema.NUMBER) == (pytest.approx(expected), False)


@pytest.mark.parametrize(
    "cell",
    ["abc", "7,5,3", "1.234,5", "<5", ">100", "5 mg/kg/j", "1 g", "90 mg/dL", "6 mois", "M3", "7 5",
     True, False, dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 10, 30)],
)
def test_number_flags_unreadable_or_ambiguous_cells(cell):
    assert _one(cell, schema.NUMBER) == (None, True)


@pytest.mark.parametrize("cell, expected", [("2", 2), ("2.0", 2), ("2,0", 2), (2.0, 2), (3, 3), ("0", 0)])
def test_integer_accepts_whole_numbers(cell, expected):
    assert _one(cell, schema.INTEGER) == (expected, False)


@pytest.mark.parametrize("cell", [2.5, "2,5", "2.5", "deux", True])
def test_integer_flags_fractions_and_words(cell):
    assert _one(cell, schema.INTEGER) == (None, True)


@pytest.mark.parametrize("cell", sorted(schema.TRUE_WORDS) + ["OUI", "Oui", "VRAI", "X", True, 1, 1.0, "1,0"])
def test_bool_true_spellings(cell):
    assert _one(cell, schema.BOOL) == (True, False)


@pytest.mark.parametrize("cell", sorted(schema.FALSE_WORDS) + ["NON", "Faux", False, 0, 0.0, "0.0"])
def test_bool_false_spellings(cell):
    assert _one(cell, schema.BOOL) == (False, False)


@pytest.mark.parametrize("cell", ["2", 2.0, "peut-être", "oui?non", dt.date(2024, 1, 2)])
def test_bool_flags_other_values(cell):
    assert _one(cell, schema.BOOL) == (None, True)


@pytest.mark.parametrize("cell, expected", [
    ("F", "F"), ("f", "F"), ("female", "F"), ("Femme", "F"), ("w", "F"), ("woman", "F"),
    ("M", "M"), ("m", "M"), ("male", "M"), ("Homme", "M"), ("H", "M"), ("man", "M"),
])
def test_sex_spellings(cell, expected):
    assert _one(cell, schema.SEX) == (expected, False)


@pytest.mark.parametrize("cell", ["X", "1", 1.0, "autre"])
def test_sex_flags_unknown_codes(cell):
    assert _one(cell, schema.SEX) == (None, True)


@pytest.mark.parametrize("cell, expected", [
    ("CR", "CR"), ("RC", "CR"), ("complete", "CR"), ("Complète", "CR"), ("Réponse complète", "CR"),
    ("PR", "PR"), ("RP", "PR"), ("partial", "PR"), ("Partielle", "PR"), ("réponse partielle", "PR"),
    ("NR", "NR"), ("nr", "NR"), ("none", "NR"), ("non-responder", "NR"), ("Non répondeur", "NR"),
    ("absente", "NR"), ("Aucune", "NR"),
])
def test_response_spellings(cell, expected):
    assert _one(cell, schema.RESPONSE) == (expected, False)


@pytest.mark.parametrize("cell", ["bonne", "CR?PR", 1.0])
def test_response_flags_unknown_words(cell):
    assert _one(cell, schema.RESPONSE) == (None, True)


@pytest.mark.parametrize("cell, expected", [
    ("positive", "positive"), ("Positif", "positive"), ("pos", "positive"), ("+", "positive"), (" + ", "positive"),
    ("negative", "negative"), ("Négatif", "negative"), ("neg", "negative"), ("-", "negative"),
    ("\u2212", "negative"),
])
def test_ifn_spellings_and_signs(cell, expected):
    assert _one(cell, schema.IFN) == (expected, False)


@pytest.mark.parametrize("cell", ["++", "douteux", 1.0])
def test_ifn_flags_unknown_values(cell):
    assert _one(cell, schema.IFN) == (None, True)


@pytest.mark.parametrize("cell, expected", [
    ("M0", 0), ("M3", 3), ("m12", 12), ("M 6", 6), ("Mois 6", 6), ("3", 3), ("3 mois", 3), (3.0, 3), (6, 6),
])
def test_month_spellings(cell, expected):
    assert _one(cell, schema.MONTH) == (expected, False)


@pytest.mark.parametrize("cell", ["M3,5", "M", "3.5", 3.5, "J0", True, dt.date(2024, 3, 1)])
def test_month_flags_fractions_and_other_codes(cell):
    assert _one(cell, schema.MONTH) == (None, True)


@pytest.mark.parametrize("cell, expected", [("M2", 2.0), ("2,5", 2.5), ("M2,5", 2.5), (1.5, 1.5), ("4", 4.0)])
def test_event_month_accepts_fractions(cell, expected):
    assert _one(cell, schema.EVENT_MONTH) == (pytest.approx(expected), False)


@pytest.mark.parametrize("cell, expected", [(w, t) for w, t in schema.EVENT_TYPE_WORDS.items()]
                         + [("Infection", "infection"), ("Viscérale", "visceral"), ("Atteinte viscérale", "visceral"),
                            ("Poussée viscérale", "visceral"), ("EI", "other"), ("Autre", "other")])
def test_event_type_spellings(cell, expected):
    assert _one(cell, schema.EVENT_TYPE) == (expected, False)


def test_event_type_flags_unknown_words():
    assert _one("cardiaque", schema.EVENT_TYPE) == (None, True)


@pytest.mark.parametrize("cell, expected", [
    ("0042", "0042"), (" P1 ", "P1"), (42.0, "42"), (42, "42"), (7.5, "7.5"), (True, "TRUE"),
    (dt.date(2024, 1, 2), "2024-01-02"), ("Zona M4", "Zona M4"),
])
def test_text_is_stripped_and_whole_excel_numbers_lose_point_zero(cell, expected):
    assert _one(cell, schema.TEXT) == (expected, False)


@pytest.mark.parametrize("cell, expected", [
    (9007199254740993, "9007199254740993"), (9007199254740992, "9007199254740992"),
    (1234567890123456789, "1234567890123456789"), (2**64 - 1, "18446744073709551615"),
    (np.int64(-(2**62) - 1), "-4611686018427387905"), (np.uint64(2**63 + 1), "9223372036854775809"),
])
def test_large_integer_ids_keep_every_digit(cell, expected):
    assert _one(cell, schema.TEXT) == (expected, False)


@pytest.mark.parametrize("cell, expected", [
    (1.2345678901234568e18, "1234567890123456800"), (2.0**53, "9007199254740992"), (-1e20, "-100000000000000000000"),
])
def test_large_whole_floats_are_written_as_integers_not_in_exponent_form(cell, expected):
    assert _one(cell, schema.TEXT) == (expected, False)


def test_parquet_int64_ids_past_2_53_are_distinct_patients():
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from core.loader import load_cohort

    ids = pa.array([9007199254740993, 9007199254740992, 1234567890123456789], pa.int64())
    buffer = io.BytesIO()
    pq.write_table(pa.table({"patient_id": ids, "sex": ["F", "M", "F"], "age": [30, 40, 50]}), buffer)
    result = load_cohort([("patients.parquet", buffer.getvalue())])
    assert [i.code for i in result.report.issues if i.code == "duplicate_patient"] == []
    stored = result.cohort.con.execute("SELECT patient_id FROM patients ORDER BY patient_id").fetchall()
    assert stored == [("1234567890123456789",), ("9007199254740992",), ("9007199254740993",)]


@pytest.mark.parametrize("kind, dtype", [
    (schema.TEXT, "string"), (schema.SEX, "string"), (schema.RESPONSE, "string"), (schema.IFN, "string"),
    (schema.EVENT_TYPE, "string"), (schema.NUMBER, "Float64"), (schema.EVENT_MONTH, "Float64"),
    (schema.INTEGER, "Int64"), (schema.MONTH, "Int64"), (schema.BOOL, "boolean"),
])
def test_output_dtype_per_kind(kind, dtype):
    parsed = parse_column(pd.Series(["1", None], dtype=object), kind)
    assert parsed.values.dtype == pd.api.types.pandas_dtype(dtype)


def test_index_is_kept_and_mixed_native_column_is_parsed_cell_by_cell():
    cells = pd.Series(["7,5 mg", 10.0, None, True, "ND", "abc"], index=[10, 11, 12, 13, 14, 15], dtype=object)
    parsed = parse_column(cells, schema.NUMBER)
    assert parsed.values.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert parsed.values.tolist() == [7.5, 10.0, pd.NA, pd.NA, pd.NA, pd.NA]
    assert parsed.invalid.tolist() == [False, False, False, True, False, True]


@pytest.mark.parametrize("kind", [schema.TEXT, schema.NUMBER, schema.BOOL, schema.IFN])
def test_repeated_index_labels_keep_each_cell_in_place(kind):
    cells = pd.Series(["1", "ND", 0.0, "+"], index=[3, 3, 7, 7], dtype=object)
    parsed = parse_column(cells, kind)
    assert parsed.values.index.tolist() == [3, 3, 7, 7]
    assert parsed.values.isna().tolist()[1] and not parsed.invalid.tolist()[1]
    assert is_missing(cells).tolist() == [False, True, False, True]


def test_string_dtype_input_is_accepted():
    parsed = parse_column(pd.Series(["M3", pd.NA], dtype="string"), schema.MONTH)
    assert parsed.values.tolist() == [3, pd.NA]


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown value kind"):
        parse_column(pd.Series(["1"]), "colour")


@pytest.mark.parametrize("word", ["Durée d'évolution (ans)", "Réponse  complète", "  N/A ", "?", "ÉLEVÉ", "−", "a−b"])
def test_column_normalisation_matches_schema_normalise(word):
    assert normalise_text(pd.Series([word], dtype=object)).iloc[0] == schema.normalise(word)


def test_column_normalisation_of_mixed_cells_matches_schema_normalise_cell_by_cell():
    # ASCII cells take a vectorised path, others are read one by one: same result.
    cells = ["P12", " Oui ", "N.D.", "__x__y__", "Tab\there", "Réponse complète", "œdème", "", "½ dose", "ND"]
    column = normalise_text(pd.Series([*cells, None, 7.5, True], dtype=object))
    assert column.iloc[:len(cells)].tolist() == [schema.normalise(c) for c in cells]
    assert column.iloc[len(cells):].isna().all()


# --- Typed columns (Parquet) read as stored ------------------------------------------

_TYPED = {
    "float": pd.Series([1.0, 2.5, np.nan, -3.0, np.inf, 2.0**60, 0.0, 7.25]),
    "Int64": pd.Series(pd.array([1, None, -4, 2**60, 0, 12, 2**53 - 1, 2**53, 1 - 2**53, -(2**53), 2**63 - 1, -(2**63)],
                                dtype="Int64")),
    "boolean": pd.Series(pd.array([True, None, False, True], dtype="boolean")),
}


@pytest.mark.parametrize("kind", [schema.NUMBER, schema.EVENT_MONTH, schema.INTEGER, schema.MONTH, schema.BOOL])
@pytest.mark.parametrize("stored", sorted(_TYPED))
def test_a_typed_column_reads_as_the_parser_reads_its_cells(kind, stored):
    from core.values import parse_typed

    series = _TYPED[stored]
    typed = parse_typed(series, kind)
    if typed is None:  # this kind needs the parser for this type
        assert not (kind == schema.BOOL and stored == "boolean")
        assert not (kind != schema.BOOL and stored != "boolean")
        return
    cells = pd.Series([None if pd.isna(v) else v.item() if hasattr(v, "item") else v for v in series], dtype=object)
    expected = parse_column(cells, kind)
    assert typed.values.dtype == expected.values.dtype
    assert typed.values.astype(object).where(typed.values.notna(), None).tolist() == \
        expected.values.astype(object).where(expected.values.notna(), None).tolist()
    assert typed.invalid.tolist() == expected.invalid.tolist()


def test_no_missing_marker_has_a_digit():
    # values._ascii_missing_words normalises only the cells without a digit.
    assert not any(ch.isdigit() for word in schema.MISSING_WORDS for ch in word)


@pytest.mark.parametrize("dtype", ["string", "object"])
def test_is_missing_gives_a_series_on_the_column_index(dtype):
    series = pd.Series(["P1", "NA", None, " n/a "], index=[10, 11, 12, 13], dtype=dtype)
    missing = is_missing(series)
    assert isinstance(missing, pd.Series)
    assert missing.index.tolist() == [10, 11, 12, 13]
    assert missing.tolist() == [False, True, True, True]


# --- Text columns (CSV, Parquet text) read as their cells are read one by one ---------

_KINDS = [schema.TEXT, schema.SEX, schema.NUMBER, schema.INTEGER, schema.BOOL, schema.RESPONSE, schema.IFN,
          schema.MONTH, schema.EVENT_MONTH, schema.EVENT_TYPE]
# Spaces Python's str.strip and \s know but a regular expression engine may not.
_ODD_SPACES = ["", " ", "\t", "\n", "\v", "\x1c", "\x85", "\u00a0", "\u2007", "\u202f", "\u3000"]
_SIGNS = ["+", "-", "\u2212"]
_WORDS = ["NA", "n/a", "N.D.", "nd", "NC", "?", "nan", "NULL", "Non renseigné", "-", "oui", "NON", "Yes", "x",
          "M3", "m 12", "mois 6", "7,5", "7.5 mg/j", "-2", "\u22122", "１２", "٣", "0042", "P1", "Réponse complète",
          "CR", "nr", "Positif", "négatif", "infection", "F", "homme", "\u00bd", "ﬁ", "\u200b", "\ufeff", "N\nD"]
_TEXT_CELLS = sorted({*(f"{pad}{word}{pad}" for word in _WORDS for pad in _ODD_SPACES),
                      *(a + pad + b for a in _SIGNS for b in _SIGNS for pad in _ODD_SPACES),
                      *(pad * 2 for pad in _ODD_SPACES)})


def _text_dtypes():
    import pyarrow as pa

    from core.csv_reader import TEXT

    return [TEXT, pd.ArrowDtype(pa.large_string()), pd.StringDtype("pyarrow"), pd.StringDtype("python")]


@pytest.mark.parametrize("dtype", _text_dtypes(), ids=str)
@pytest.mark.parametrize("kind", [None, *_KINDS])
def test_missing_markers_of_a_text_column_are_those_of_its_cells(dtype, kind):
    cells = [*_TEXT_CELLS, None]
    column = is_missing(pd.Series(cells, dtype=dtype), kind).tolist()
    one_by_one = is_missing(pd.Series(cells, dtype=object), kind).tolist()
    assert [c for c, a, b in zip(cells, column, one_by_one) if a != b] == []


@pytest.mark.parametrize("dtype", _text_dtypes(), ids=str)
@pytest.mark.parametrize("kind", _KINDS)
def test_a_text_column_parses_as_its_cells_parse(dtype, kind):
    from core.distinct import parse_cells

    cells = [*_TEXT_CELLS, None]
    column = parse_cells(pd.Series(cells, dtype=dtype), kind)
    one_by_one = parse_column(pd.Series(cells, dtype=object), kind)
    assert column.values.dtype == one_by_one.values.dtype
    values = column.values.astype(object).where(column.values.notna(), None).tolist()
    expected = one_by_one.values.astype(object).where(one_by_one.values.notna(), None).tolist()
    assert [c for c, a, b in zip(cells, values, expected) if a != b] == []
    assert [c for c, a, b in zip(cells, column.invalid, one_by_one.invalid) if a != b] == []


@pytest.mark.parametrize("dtype", _text_dtypes(), ids=str)
def test_text_column_normalises_as_schema_normalise(dtype):
    column = normalise_text(pd.Series([*_TEXT_CELLS, None], dtype=dtype)).tolist()
    assert column[:-1] == [schema.normalise(c) for c in _TEXT_CELLS]
    assert pd.isna(column[-1])


def test_has_digit_tells_ids_and_other_text_alike():
    import pyarrow as pa

    from core.values import has_digit

    cells = ["P000123", "P-12", "abc", "é1", "", None, "N° 3", "x", "１２", "12"]
    assert has_digit(pa.array(cells, pa.large_string())).tolist() == [
        True, True, False, True, False, False, True, False, False, True]
