"""core.stats and core.significance: hand-checked values, cross-checks against scipy/statsmodels, degenerate inputs."""
from __future__ import annotations

import subprocess
import sys
import warnings

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint

from core.significance import (
    NOTE_ALL_ZERO,
    NOTE_EMPTY_GROUP,
    NOTE_EXPECTED_LT5,
    NOTE_IDENTICAL,
    NOTE_NO_DISCORDANT,
    NOTE_ONE_CATEGORY,
    NOTE_ONE_GROUP,
    compare_categorical,
    compare_continuous,
    mcnemar,
    wilcoxon_signed_rank,
)
from core.stats import (
    NOTE_NO_DATA,
    NOTE_ONE_VALUE,
    NOTE_SMALL_N,
    estimate_proportion,
    round_half_up,
    summarise_continuous,
)

_RNG = np.random.default_rng(20260129)


# --- rounding -------------------------------------------------------------------------

@pytest.mark.parametrize("x, digits, expected", [
    (7.25, 1, 7.3),
    (95.4545, 1, 95.5),
    (95.45, 1, 95.5),
    (2.675, 2, 2.68),
    (0.05, 1, 0.1),
    (-7.25, 1, -7.3),
    (10.0, 1, 10.0),
    (45.04999, 1, 45.0),
    (np.float64(7.25), 1, 7.3),
])
def test_round_half_up_rounds_written_halves_away_from_zero(x, digits, expected):
    assert round_half_up(x, digits) == expected


@pytest.mark.parametrize("x", [None, float("nan"), np.nan, pd.NA, float("inf")])
def test_round_half_up_gives_none_for_missing_or_infinite(x):
    assert round_half_up(x) is None


# --- proportions ----------------------------------------------------------------------

_WILSON_GRID = [(0, 1), (1, 1), (0, 5), (5, 5), (0, 22), (22, 22), (1, 22), (21, 22), (19, 21),
                (12, 21), (9, 22), (16, 22), (15, 22), (3, 7), (50, 100), (1, 1000), (4999, 10000)]


@pytest.mark.parametrize("n, N", _WILSON_GRID)
def test_wilson_interval_matches_statsmodels(n, N):
    low, high = proportion_confint(n, N, alpha=0.05, method="wilson")
    p = estimate_proportion(n, N)
    assert (p.ci_low, p.ci_high) == (round_half_up(100 * low), round_half_up(100 * high))


@pytest.mark.parametrize("n, N, pct", [(21, 22, 95.5), (19, 21, 90.5), (12, 21, 57.1), (21, 21, 100.0),
                                       (1, 22, 4.5), (9, 22, 40.9), (16, 22, 72.7), (15, 22, 68.2),
                                       (1, 8, 12.5), (1, 80, 1.3), (0, 3, 0.0)])
def test_percentage_is_rounded_half_up_to_one_decimal(n, N, pct):
    assert estimate_proportion(n, N).pct == pct


def test_wilson_interval_of_all_successes_ends_at_100():
    p = estimate_proportion(1, 1)
    assert (p.pct, p.ci_high) == (100.0, 100.0) and p.ci_low == 20.7


def test_proportion_with_no_denominator_has_no_estimate_and_says_no_data():
    p = estimate_proportion(0, 0)
    assert (p.pct, p.ci_low, p.ci_high) == (None, None, None)
    assert NOTE_NO_DATA in p.notes


def test_proportion_as_count_writes_zero_percent_when_no_denominator():
    assert estimate_proportion(0, 0).as_count() == {"n": 0, "N": 0, "pct": 0.0}
    assert estimate_proportion(21, 22).as_count() == {"n": 21, "N": 22, "pct": 95.5}


@pytest.mark.parametrize("N, noted", [(1, True), (4, True), (5, False), (22, False)])
def test_proportion_below_five_patients_carries_small_n_note(N, noted):
    assert (NOTE_SMALL_N in estimate_proportion(1, N).notes) is noted


@pytest.mark.parametrize("n, N", [(3, 2), (-1, 4), (0, -1)])
def test_impossible_counts_are_a_programming_error(n, N):
    with pytest.raises(ValueError):
        estimate_proportion(n, N)


# --- continuous -----------------------------------------------------------------------

def test_continuous_summary_of_a_hand_checked_sample():
    c = summarise_continuous([5.0, 10.0, 7.5, 2.5, None])
    assert (c.N, c.missing, c.mean, c.median, c.q1, c.q3, c.min, c.max) == (
        4, 1, 6.25, 6.25, 4.375, 8.125, 2.5, 10.0)


@pytest.mark.parametrize("size", [2, 3, 7, 22, 101])
def test_quartiles_and_sd_match_numpy(size):
    x = _RNG.normal(45, 10, size).round(1)
    c = summarise_continuous(pd.Series(x))
    assert [c.q1, c.median, c.q3] == pytest.approx(list(np.percentile(x, [25, 50, 75])), rel=1e-12)
    assert c.sd == pytest.approx(np.std(x, ddof=1), rel=1e-12)
    assert c.mean == pytest.approx(np.mean(x), rel=1e-12)


@pytest.mark.parametrize("values", [
    pd.Series([1, pd.NA, 3], dtype="Int64"),
    pd.Series([1.0, np.nan, 3.0], dtype="Float64"),
    np.array([1.0, np.nan, 3.0]),
    [1, None, 3],
])
def test_missing_values_of_any_container_are_counted_and_left_out(values):
    c = summarise_continuous(values)
    assert (c.N, c.missing, c.mean) == (2, 1, 2.0)


def test_continuous_summary_of_nothing_says_no_data():
    c = summarise_continuous(pd.Series([np.nan, np.nan]))
    assert (c.N, c.missing, c.mean, c.median) == (0, 2, None, None)
    assert NOTE_NO_DATA in c.notes


def test_single_value_has_no_sd_and_says_why():
    c = summarise_continuous([4.0])
    assert c.sd is None and NOTE_ONE_VALUE in c.notes


def test_rounded_summary_rounds_each_statistic_half_up():
    c = summarise_continuous([5.0, 7.25, 7.25, 10.0])
    assert c.rounded() == {"N": 4, "mean": 7.4, "sd": 2.0, "median": 7.3, "q1": 6.7,
                           "q3": 7.9, "min": 5.0, "max": 10.0, "missing": 0}


# --- Wilcoxon signed-rank -------------------------------------------------------------

def _paired(size, ties=False, zeros=0):
    before = _RNG.normal(10, 3, size)
    after = before + _RNG.normal(-1, 2, size)
    if ties:
        before, after = before.round(), after.round()
    after[:zeros] = before[:zeros]
    return before, after


@pytest.mark.parametrize("before, after", [
    _paired(8),
    _paired(12, ties=True, zeros=2),
    _paired(30, ties=True, zeros=3),
    _paired(50),
    _paired(80, ties=True, zeros=5),
    ([10, 10, 7.5, 5, 20, 5], [5, 7.5, 5, 5, 10, 2.5]),
])
def test_wilcoxon_matches_scipy_defaults(before, after):
    ours = wilcoxon_signed_rank(before, after)
    ref = sps.wilcoxon(np.asarray(after, float) - np.asarray(before, float))
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12)


@pytest.mark.parametrize("before, after, method", [
    (*_paired(10), "exact"),
    (*_paired(60), "asymptotic"),
    (*_paired(25, ties=True), "asymptotic"),
])
def test_wilcoxon_method_names_the_p_value_scipy_used(before, after, method):
    ours = wilcoxon_signed_rank(before, after)
    ref = sps.wilcoxon(after - before, method=method)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert ("exact" in ours.method) is (method == "exact")


def test_wilcoxon_exact_and_permutation_p_values_match_scipy_at_every_size():
    """The exact distribution (no ties, no zeros, up to 50 pairs) and the permutation
    distribution (ties or zeros, up to 13 pairs) are computed without scipy: checked
    against it on many small samples, with ties, zeros and one-sided ones."""
    rng = np.random.default_rng(11)
    for size in range(1, 51):
        for _ in range(3):
            d = rng.normal(0.5, 2, size)
            checks = [d]
            if size <= 13:
                tied = rng.integers(-3, 4, size).astype(float)  # ties and zeros
                checks += [tied, np.abs(tied) + (tied == 0)]  # one-sided, with ties
            for diff in checks:
                if not np.any(diff != 0):
                    continue
                ours = wilcoxon_signed_rank(np.zeros(size), diff)
                ref = sps.wilcoxon(diff)
                if "normal approximation" in ours.method:
                    continue  # ties or zeros above 13 pairs: covered above
                assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12), (size, diff)
                assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12), (size, diff)


def test_wilcoxon_p_values_import_no_scipy():
    """A subgroup's Wilcoxon test must not import scipy (about a second the first time)."""
    code = ("import sys; from core.significance import wilcoxon_signed_rank as w;"
            "w([1, 2, 3, 4, 5, 6], [2, 4, 3, 7, 9, 8]); w([1, 2, 2, 4], [1, 3, 4, 6]);"
            "w(list(range(40)), [x + (x % 7) - 2.5 for x in range(40)]);"
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


def test_wilcoxon_drops_pairs_with_a_missing_value():
    ours = wilcoxon_signed_rank([1.0, 2.0, np.nan, 4.0, 5.0, 6.0], [2.0, 4.0, 3.0, np.nan, 9.0, 11.0])
    ref = sps.wilcoxon(np.array([1.0, 2.0, 4.0, 5.0]))
    assert (ours.N, ours.p_value) == (4, pytest.approx(ref.pvalue))


def test_wilcoxon_on_all_zero_differences_gives_no_p_value():
    res = wilcoxon_signed_rank([5, 7.5, 10], [5, 7.5, 10])
    assert res.p_value is None and NOTE_ALL_ZERO in res.notes


def test_wilcoxon_on_no_complete_pair_gives_no_p_value():
    res = wilcoxon_signed_rank([np.nan, 1.0], [2.0, np.nan])
    assert (res.N, res.p_value) == (0, None) and NOTE_NO_DATA in res.notes


def test_wilcoxon_of_unequal_lengths_is_a_programming_error():
    with pytest.raises(ValueError):
        wilcoxon_signed_rank([1, 2, 3], [1, 2])


# --- McNemar --------------------------------------------------------------------------

@pytest.mark.parametrize("b, c", [(0, 1), (0, 5), (5, 0), (3, 3), (10, 2), (1, 14), (7, 9),
                                  (400, 450), (700, 640)])
def test_mcnemar_matches_statsmodels_exact(b, c):
    ref = sm_mcnemar([[4, b], [c, 6]], exact=True)
    ours = mcnemar(b, c)
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-10)


def test_mcnemar_without_discordant_pairs_gives_no_p_value():
    res = mcnemar(0, 0)
    assert res.p_value is None and NOTE_NO_DISCORDANT in res.notes


# --- categorical ----------------------------------------------------------------------

@pytest.mark.parametrize("table", [
    [[8, 2], [1, 5]], [[6, 2], [1, 4]], [[3, 1], [1, 3]], [[0, 5], [6, 2]],
    [[10, 10], [10, 10]], [[21, 0], [0, 1]], [[300, 280], [250, 290]], [[1, 9], [11, 3]],
])
def test_fisher_exact_matches_scipy(table):
    ours = compare_categorical(table)
    ref = sps.fisher_exact(table)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert "Fisher" in ours.method
    if np.isfinite(ref.statistic):
        assert ours.statistic == pytest.approx(ref.statistic)
    else:
        assert ours.statistic is None


@pytest.mark.parametrize("table", [
    [[10, 12, 8], [5, 9, 14]],
    [[3, 1, 2], [1, 3, 5]],
    [[20, 15], [10, 18], [7, 22]],
    [[5, 6, 7], [8, 9, 3], [4, 4, 10]],
])
def test_chi_squared_matches_scipy_for_tables_larger_than_2x2(table):
    ours = compare_categorical(table)
    ref = sps.chi2_contingency(table)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert ("chi-squared" in ours.method) and (f"({ref.dof} df)" in ours.method)


@pytest.mark.parametrize("table, low", [([[3, 1, 2], [1, 3, 5]], True), ([[10, 12, 8], [5, 9, 14]], False)])
def test_chi_squared_notes_expected_counts_below_five(table, low):
    assert (NOTE_EXPECTED_LT5 in compare_categorical(table).notes) is low


def test_empty_level_is_dropped_before_testing():
    with_empty = compare_categorical([[8, 0, 2], [1, 0, 5]])
    assert with_empty.p_value == pytest.approx(sps.fisher_exact([[8, 2], [1, 5]]).pvalue)


def test_categorical_table_accepts_a_dataframe():
    frame = pd.DataFrame({"Lille": [8, 1], "Boulogne": [2, 5]}, index=["yes", "no"])
    assert compare_categorical(frame).p_value == pytest.approx(sps.fisher_exact([[8, 2], [1, 5]]).pvalue)


@pytest.mark.parametrize("table, note", [
    ([[0, 0], [0, 0]], NOTE_NO_DATA),
    ([[5, 7], [0, 0]], NOTE_ONE_CATEGORY),
    ([[5, 0], [7, 0]], NOTE_ONE_CATEGORY),
])
def test_degenerate_tables_give_no_p_value_and_say_why(table, note):
    res = compare_categorical(table)
    assert res.p_value is None and note in res.notes


# --- continuous comparisons -----------------------------------------------------------

@pytest.mark.parametrize("x, y", [
    ([1.0, 2.0, 3.0], [4.0, 5.0, 6.5]),
    (_RNG.normal(0, 1, 6), _RNG.normal(1, 1, 30)),
    (_RNG.normal(0, 1, 20).round(), _RNG.normal(1, 1, 25).round()),
    (_RNG.normal(0, 1, 7).round(), _RNG.normal(1, 1, 5).round()),
    (_RNG.normal(0, 1, 40), _RNG.normal(0.5, 1, 40)),
])
def test_rank_sum_matches_scipy_mannwhitneyu(x, y):
    ours = compare_continuous([x, y])
    ref = sps.mannwhitneyu(x, y, alternative="two-sided")
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12)


@pytest.mark.parametrize("x, y, method", [
    ([1.0, 2.0, 3.0], [4.0, 5.0, 6.5], "exact"),
    (_RNG.normal(0, 1, 20).round(), _RNG.normal(1, 1, 25).round(), "asymptotic"),
])
def test_rank_sum_method_names_the_p_value_scipy_used(x, y, method):
    ours = compare_continuous([x, y])
    assert ours.p_value == pytest.approx(sps.mannwhitneyu(x, y, method=method).pvalue, rel=1e-12)
    assert ("exact" in ours.method) is (method == "exact")


@pytest.mark.parametrize("groups", [
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.5], [1.0, 1.0]],
    [_RNG.normal(0, 1, 10).round(1), _RNG.normal(0.5, 1, 12).round(1), _RNG.normal(1, 1, 9).round(1)],
    [_RNG.integers(0, 5, 15), _RNG.integers(0, 6, 15), _RNG.integers(1, 6, 15), _RNG.integers(0, 3, 8)],
])
def test_kruskal_wallis_matches_scipy(groups):
    ours = compare_continuous(groups)
    ref = sps.kruskal(*groups)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert "Kruskal" in ours.method


def test_missing_values_are_dropped_before_comparing_groups():
    ours = compare_continuous([pd.Series([1.0, None, 3.0]), pd.Series([4.0, 6.0, pd.NA], dtype="Float64")])
    assert (ours.N, ours.p_value) == (4, pytest.approx(sps.mannwhitneyu([1, 3], [4, 6]).pvalue))


@pytest.mark.parametrize("groups, note", [
    ([[1.0, 2.0], []], NOTE_EMPTY_GROUP),
    ([[1.0, 2.0], [np.nan]], NOTE_EMPTY_GROUP),
    ([[1.0, 2.0]], NOTE_ONE_GROUP),
    ([[3.0, 3.0], [3.0], [3.0, 3.0]], NOTE_IDENTICAL),
    ([[3.0, 3.0, 3.0], [3.0, 3.0, 3.0]], NOTE_IDENTICAL),
])
def test_degenerate_group_comparisons_give_no_p_value_and_say_why(groups, note):
    res = compare_continuous(groups)
    assert res.p_value is None and note in res.notes


# --- properties -----------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: compare_continuous([[1.0, 2.0], [3.0, 4.0]]),
    lambda: wilcoxon_signed_rank([1.0, 2.0], [2.0, 4.0]),
    lambda: mcnemar(1, 2),
    lambda: compare_categorical([[1, 1], [1, 1]]),
    lambda: compare_categorical([[1, 0, 1], [0, 1, 1]]),
    lambda: summarise_continuous([3.0]),
], ids=["rank_sum", "signed_rank", "mcnemar", "fisher", "chi2", "summary"])
def test_results_on_fewer_than_five_carry_small_n_note(call):
    assert NOTE_SMALL_N in call().notes


@pytest.mark.parametrize("call", [
    lambda: wilcoxon_signed_rank([1.0, 1.0], [1.0, 1.0]),
    lambda: compare_continuous([[2.0, 2.0], [2.0]]),
    lambda: compare_continuous([[], []]),
    lambda: compare_categorical([[0, 3], [0, 4]]),
    lambda: summarise_continuous([]),
    lambda: estimate_proportion(0, 0),
], ids=["zero_differences", "identical", "empty_groups", "one_category", "no_values", "no_denominator"])
def test_degenerate_inputs_do_not_warn(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call()


def test_rank_sum_p_value_is_symmetric_in_group_order():
    x, y = [1.0, 2.5, 3.0, 7.0], [4.0, 5.0, 6.5, 8.0, 9.0]
    assert compare_continuous([x, y]).p_value == pytest.approx(compare_continuous([y, x]).p_value)


def test_fisher_p_value_is_symmetric_under_transpose():
    t = np.array([[7, 2], [3, 9]])
    assert compare_categorical(t).p_value == pytest.approx(compare_categorical(t.T).p_value)


def test_importing_stats_does_not_import_scipy_or_statsmodels():
    code = ("import sys, core.stats, core.significance; "
            "print(sorted(m for m in ('scipy', 'statsmodels') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
