"""Significance tests for small cohorts, returning ``TestResult`` objects.

Paired tests of a change within patients (Wilcoxon signed-rank, exact McNemar) and
comparisons between groups (Fisher's exact or Pearson's chi-squared test on a table
of counts; rank-sum or Kruskal-Wallis test on a numeric variable). Every result
carries its N, the method used and notes (``core.stats.size_notes``). Degenerate
inputs give a result whose p-value is None and a note saying why: nothing here
raises on data or writes to stderr. scipy is imported inside the functions that
need a distribution.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from core.distributions import binom_half_cdf, signed_rank_exact, signed_rank_normal, signed_rank_permutation
from core.stats import NOTE_NO_DATA, as_float_array, size_notes

# Notes are constants so that the UI can map them to translated labels.
NOTE_ALL_ZERO = "all paired differences are zero: no test"
# Fixed wording (no count) so that it translates; callers count the zeros themselves.
NOTE_ZEROS_DROPPED = "zero differences dropped"
NOTE_NO_DISCORDANT = "no discordant pairs: no test"
NOTE_EMPTY_GROUP = "a group has no values: no test"
NOTE_ONE_GROUP = "fewer than 2 groups with values: no test"
NOTE_ONE_CATEGORY = "only one category observed: no test"
NOTE_IDENTICAL = "all values are identical: no test"
NOTE_EXPECTED_LT5 = "expected count < 5 in some cells: chi-squared may be invalid"
NOTE_OR_UNDEFINED = "odds ratio undefined (zero cell)"

# Above this many observations the exact integer sums get slow; scipy's
# distributions give the same p-values.
_EXACT_LIMIT = 1000


@dataclass(frozen=True)
class TestResult:
    """A hypothesis test: statistic, two-sided p-value, N analysed, method, notes."""

    __test__ = False  # not a pytest test class despite its name

    statistic: float | None
    p_value: float | None
    N: int
    method: str
    notes: tuple[str, ...] = ()


def _finite(x) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def _no_test(N: int, method: str, why: str) -> TestResult:
    return TestResult(None, None, N, method, (why,) + size_notes(N))


def _call_quietly(func, *args, **kwargs):
    """Run a scipy function, turning its warnings into notes rather than stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args, **kwargs)
    return result, tuple(str(w.message) for w in caught)


def wilcoxon_signed_rank(before, after) -> TestResult:
    """Paired Wilcoxon signed-rank test as ``scipy.stats.wilcoxon(after - before)``.

    Pairs with a missing value are dropped; zero differences are dropped
    (zero_method="wilcox"); the statistic is the smaller rank sum. The p-value is
    the one scipy's method="auto" picks: the normal approximation (no continuity
    correction, tie-corrected variance) above 50 pairs or with ties or zeros above
    13 pairs; otherwise the exact distribution, or the exact permutation distribution
    with ties or zeros, all computed here without scipy (``core.distributions``).
    Reference: Wilcoxon F. Biometrics Bulletin 1945;1:80-83.
    """
    x, y = as_float_array(before), as_float_array(after)
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {x.size} and {y.size}")
    d = (y - x)[~(np.isnan(x) | np.isnan(y))]
    base = "Wilcoxon signed-rank test, zeros dropped"
    if d.size == 0:
        return _no_test(0, base, NOTE_NO_DATA)
    nonzero = d[d != 0]
    if nonzero.size == 0:
        return _no_test(int(d.size), base, NOTE_ALL_ZERO)
    zeros = int(d.size - nonzero.size)
    notes = (NOTE_ZEROS_DROPPED,) if zeros else ()
    # Ties decide the method up to 50 pairs only (above, the normal approximation sorts |d| itself).
    ties = d.size <= 50 and np.unique(np.abs(nonzero)).size < nonzero.size
    if d.size > 50 or ((ties or zeros) and d.size > 13):
        statistic, p = signed_rank_normal(nonzero)
        return TestResult(statistic, p, int(d.size), f"{base}, normal approximation",
                          notes + size_notes(int(d.size)))
    if ties or zeros:
        statistic, p = signed_rank_permutation(d)
        how = "exact permutation distribution"
    else:
        statistic, p = signed_rank_exact(nonzero)
        how = "exact distribution"
    return TestResult(statistic, p, int(d.size), f"{base}, {how}", notes + size_notes(int(d.size)))


def mcnemar(b: int, c: int) -> TestResult:
    """Exact McNemar test on the discordant pair counts b and c.

    Same as ``statsmodels...mcnemar(table, exact=True)``: statistic min(b, c),
    p = min(1, 2 P(X <= min(b, c))), X ~ Binomial(b + c, 1/2). N is b + c.
    Reference: McNemar Q. Psychometrika 1947;12:153-157.
    """
    b, c = int(b), int(c)
    if b < 0 or c < 0:
        raise ValueError(f"discordant counts must be >= 0, got b={b}, c={c}")
    method = "McNemar exact test (binomial on discordant pairs)"
    n = b + c
    if n == 0:
        return _no_test(0, method, NOTE_NO_DISCORDANT)
    p = min(1.0, 2 * binom_half_cdf(min(b, c), n))
    return TestResult(float(min(b, c)), p, n, method, size_notes(n))


def _fisher_2x2(t: np.ndarray) -> float:
    """Two-sided Fisher p: tables no more likely than the observed one, as scipy."""
    (a, b), (c, d) = (int(v) for v in t[0]), (int(v) for v in t[1])
    row1, row2, col1 = a + b, c + d, a + c
    if row1 + row2 > _EXACT_LIMIT:
        from scipy import stats

        return float(stats.fisher_exact(t)[1])
    support = range(max(0, col1 - row2), min(row1, col1) + 1)
    # Hypergeometric weights as exact integers, so "no more likely" has no rounding.
    weights = {x: math.comb(row1, x) * math.comb(row2, col1 - x) for x in support}
    observed = weights[a]
    extreme = sum(w for w in weights.values() if w <= observed)
    return min(1.0, float(Fraction(extreme, sum(weights.values()))))


def compare_categorical(table) -> TestResult:
    """Association in an r x c table of counts (levels x groups, or the transpose).

    Rows or columns that are all zero are dropped. Fisher's exact test for a 2 x 2
    table (statistic: sample odds ratio), Pearson's chi-squared otherwise
    (statistic: X2), with a note when an expected count is below 5.
    Reference: Fisher RA. J R Stat Soc 1922;85:87-94. Pearson K. Phil Mag 1900;50:157-175.
    """
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or np.any(t < 0) or np.any(t != np.round(t)):
        raise ValueError("table must be a 2-D array of non-negative counts")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0].astype(np.int64)
    N = int(t.sum())
    if N == 0:
        return _no_test(0, "no test", NOTE_NO_DATA)
    if min(t.shape) < 2:
        return _no_test(N, "no test", NOTE_ONE_CATEGORY)
    if t.shape == (2, 2):
        (a, b), (c, d) = t
        odds = float(a * d / (b * c)) if b * c > 0 else None
        notes = () if odds is not None else (NOTE_OR_UNDEFINED,)
        return TestResult(odds, _fisher_2x2(t), N, "Fisher's exact test (two-sided)",
                          notes + size_notes(N))
    from scipy import stats

    res, warned = _call_quietly(stats.chi2_contingency, t, correction=False)
    low = (NOTE_EXPECTED_LT5,) if np.any(res.expected_freq < 5) else ()
    return TestResult(_finite(res.statistic), _finite(res.pvalue), N,
                      f"Pearson's chi-squared test ({res.dof} df)", low + warned + size_notes(N))


def compare_continuous(groups: list) -> TestResult:
    """Compare a numeric variable between groups (missing values dropped).

    Two groups: Wilcoxon rank-sum / Mann-Whitney U, two-sided, as
    ``scipy.stats.mannwhitneyu`` (statistic: U of the first group). Three or more:
    Kruskal-Wallis H with tie correction. Any empty group gives no test.
    Reference: Mann HB, Whitney DR. Ann Math Stat 1947;18:50-60.
    Kruskal WH, Wallis WA. J Am Stat Assoc 1952;47:583-621.
    """
    arrays = [a[~np.isnan(a)] for a in (as_float_array(g) for g in groups)]
    N = int(sum(a.size for a in arrays))
    method = "Wilcoxon rank-sum (Mann-Whitney U) test" if len(arrays) == 2 else "Kruskal-Wallis test"
    if len(arrays) < 2:
        return _no_test(N, method, NOTE_ONE_GROUP)
    if any(a.size == 0 for a in arrays):
        return _no_test(N, method, NOTE_EMPTY_GROUP)
    pooled = np.concatenate(arrays)
    if np.all(pooled == pooled[0]):
        return _no_test(N, method, NOTE_IDENTICAL)
    from scipy import stats

    if len(arrays) == 2:
        x, y = arrays
        ties = np.unique(pooled).size < pooled.size
        # Name the p-value method scipy's method="auto" picks.
        exact = not ties and (x.size <= 8 or y.size <= 8)
        how = "exact distribution" if exact else "normal approximation with continuity correction"
        res, warned = _call_quietly(stats.mannwhitneyu, x, y, alternative="two-sided")
        method = f"{method}, two-sided, {how}"
    else:
        res, warned = _call_quietly(stats.kruskal, *arrays)
        method = f"{method}, chi-squared approximation, tie-corrected"
    return TestResult(_finite(res.statistic), _finite(res.pvalue), N, method,
                      warned + size_notes(N))
