"""Analysis settings: the contract's defaults, and impossible values refused."""
from __future__ import annotations

import re

import pytest

from core.settings import NumberTextError, SettingError, Settings, parse_settings, read_number
from core.stats import SMALL_N


def test_defaults_are_the_contract_definitions():
    s = Settings()
    assert (s.min_age, s.shift_tolerance, s.anti_dsdna_threshold, s.c3_low, s.c4_low, s.cs_thresholds) == (
        18.0, 0.10, 10.0, 0.9, 0.1, (7.5, 5.0))


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().min_age = 16  # type: ignore[misc]


@pytest.mark.parametrize("values", [
    {"shift_tolerance": -0.1}, {"shift_tolerance": 1.0}, {"response_months": (0, 3)}, {"min_age": 121},
    {"anti_dsdna_threshold": -1}, {"c3_low": float("nan")}, {"cs_thresholds": (7.5, -1)},
])
def test_impossible_settings_are_refused(values):
    with pytest.raises(ValueError):
        Settings(**values)


@pytest.mark.parametrize(("expressions", "expected"), [
    ([], Settings()),
    (["shift_tolerance=0.15", "anti_dsdna_threshold=20"], Settings(shift_tolerance=0.15, anti_dsdna_threshold=20.0)),
    (["shift_tolerance=0,15"], Settings(shift_tolerance=0.15)),
    ([" MIN_AGE = 16 "], Settings(min_age=16.0)),
    (["min_age=0"], Settings(min_age=0.0)),
    (["min_age=120"], Settings(min_age=120.0)),
    (["shift_tolerance=0"], Settings(shift_tolerance=0.0)),
    (["c3_low=0.8", "c4_low=0.12"], Settings(c3_low=0.8, c4_low=0.12)),
    (["cs_thresholds=10, 5"], Settings(cs_thresholds=(10.0, 5.0))),
    (["response_months=3,6,12"], Settings(response_months=(3, 6, 12))),
    (["response_months=" + ",".join(map(str, range(1, 13)))], Settings(response_months=tuple(range(1, 13)))),
    (["response_months=600"], Settings(response_months=(600,))),
    (["small_n=3"], Settings(small_n=3)),
])
def test_valid_expressions_give_these_settings(expressions, expected):
    assert parse_settings(expressions) == expected


@pytest.mark.parametrize(("expression", "says"), [
    ("genotype=1", "unknown setting 'genotype'"),
    ("baseline_month=3", "unknown setting"),
    ("min_age", "write KEY=VALUE"),
    ("=16", "write KEY=VALUE"),
    ("min_age=old", "'old' is not a number"),
    ("min_age=", "'' is not a number"),
    ("min_age=inf", "not a finite number"),
    ("small_n=2.5", "not a whole number"),
    ("response_months=3,x", "'x' is not a whole number"),
    ("min_age=-1", "min_age must be in [0, 120]"),
    ("min_age=121", "min_age must be in [0, 120]"),
    ("shift_tolerance=1", "shift_tolerance must be in [0, 1)"),
    ("shift_tolerance=-0.01", "shift_tolerance must be in [0, 1)"),
    ("anti_dsdna_threshold=-5", "anti_dsdna_threshold must be >= 0"),
    ("c3_low=-0.1", "c3_low must be >= 0"),
    ("c4_low=-0.1", "c4_low must be >= 0"),
    ("cs_thresholds=7.5,-5", "cs_thresholds must be >= 0"),
    ("response_months=0,3", "after the baseline month"),
    ("response_months=3,601", "response_months must be in [0, 600]"),
    ("response_months=" + ",".join(map(str, range(1, 5000))), "response_months takes at most 12 values, not 4999"),
    ("cs_thresholds=" + ",".join(map(str, range(13))), "cs_thresholds takes at most 12 values, not 13"),
])
def test_invalid_expressions_are_refused_with_a_message(expression, says):
    with pytest.raises(SettingError, match=re.escape(says)):
        parse_settings([expression])


def test_a_key_given_twice_is_refused():
    with pytest.raises(SettingError, match="given twice"):
        parse_settings(["min_age=16", "min_age=17"])


def test_changed_lists_only_what_differs_from_the_defaults():
    assert Settings(min_age=16, cs_thresholds=(10.0, 5.0)).changed() == {"min_age": 16, "cs_thresholds": [10.0, 5.0]}


def test_small_n_default_is_the_stats_constant():
    # One source: the notes core.stats attaches and the pages' small-N warnings agree.
    assert Settings().small_n == SMALL_N


@pytest.mark.parametrize(("text", "lang", "number"), [
    ("0,85", "fr", 0.85), ("0.85", "fr", 0.85), ("0,85", "en", 0.85), ("0.85", "en", 0.85),
    (" 7,5 ", "fr", 7.5), ("1\u202f000", "fr", 1000.0), ("1 000,5", "fr", 1000.5), ("\u22122", "en", -2.0),
    (",5", "fr", 0.5), ("5.", "en", 5.0), ("+3", "en", 3.0), ("1,000", "fr", 1.0), ("1.000", "en", 1.0),
    ("0,850", "en", 0.85), ("0.850", "fr", 0.85), ("12,5", "en", 12.5), ("1,2345", "en", 1.2345),
])
def test_a_typed_number_takes_a_decimal_comma_or_point_in_either_language(text, lang, number):
    assert read_number(text, lang) == number


@pytest.mark.parametrize(("text", "lang", "code"), [
    ("", "fr", "not_a_number"), ("abc", "en", "not_a_number"), ("1,2,3", "fr", "not_a_number"),
    ("1,000.5", "en", "not_a_number"), ("1e3", "en", "not_a_number"), ("inf", "en", "not_a_number"),
    ("nan", "fr", "not_a_number"), ("5 mg", "fr", "not_a_number"), ("9" * 400, "en", "not_a_number"),
    # A separator that may group thousands in the field's language: a thousand, or 1.0?
    ("1,000", "en", "ambiguous"), ("12,500", "en", "ambiguous"), ("1.000", "fr", "ambiguous"),
])
def test_a_typed_text_that_is_no_single_number_is_refused_with_its_reason(text, lang, code):
    with pytest.raises(NumberTextError) as refused:
        read_number(text, lang)
    assert refused.value.code == code
