"""Estimators and tests for small cohorts, returning frozen result objects.

Every result carries its N, the method used and notes (for instance
``NOTE_SMALL_N`` below five patients). Degenerate inputs give a result whose
p-value is None and a note saying why: nothing here raises on data or writes to
stderr. scipy is imported inside the functions that need a distribution.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd

from core.distributions import binom_half_cdf, signed_rank_normal

# Notes are constants so that the UI can map them to translated labels.
NOTE_SMALL_N = "n < 5: interpret with care"
NOTE_NO_DATA = "no data"
NOTE_ONE_VALUE = "SD needs at least 2 values"
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

SMALL_N = 5
# Above this many observations the exact integer sums get slow; scipy's
# distributions give the same p-values.
_EXACT_LIMIT = 1000


def round_half_up(x: float | None, digits: int = 1) -> float | None:
    """Round as people do on paper (7.25 -> 7.3), from the shortest repr of x.

    None, NaN and infinities give None.
    """
    if x is None or pd.isna(x) or not math.isfinite(float(x)):
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def _size_notes(n: int) -> tuple[str, ...]:
    if n == 0:
        return (NOTE_NO_DATA, NOTE_SMALL_N)
    return (NOTE_SMALL_N,) if n < SMALL_N else ()


@dataclass(frozen=True)
class Proportion:
    """n out of N (N excludes missing), percentage and Wilson 95 % CI in percent."""

    n: int
    N: int
    pct: float | None
    ci_low: float | None
    ci_high: float | None
    method: str = "Wilson score interval"
    notes: tuple[str, ...] = ()

    def as_count(self) -> dict:
        """The ``{"n", "N", "pct"}`` count of summary-json (pct 0.0 when N == 0)."""
        return {"n": self.n, "N": self.N, "pct": 0.0 if self.pct is None else self.pct}


def _wilson_bounds(n: int, N: int, confidence: float) -> tuple[float, float]:
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = n / N
    denom = 1 + z * z / N
    centre = (p + z * z / (2 * N)) / denom
    half = z * math.sqrt(p * (1 - p) / N + z * z / (4 * N * N)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate_proportion(n: int, N: int, confidence: float = 0.95) -> Proportion:
    """Proportion n/N with its Wilson score interval, percentages to 1 decimal.

    Reference: Wilson EB. J Am Stat Assoc 1927;22:209-212.
    """
    n, N = int(n), int(N)
    if N < 0 or not 0 <= n <= N:
        raise ValueError(f"need 0 <= n <= N, got n={n}, N={N}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if N == 0:
        return Proportion(0, 0, None, None, None, notes=_size_notes(0))
    # Exact decimal division so that a true x.x5 percentage rounds up.
    pct = float((Decimal(100 * n) / Decimal(N)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    low, high = _wilson_bounds(n, N, confidence)
    return Proportion(n, N, pct, round_half_up(100 * low), round_half_up(100 * high),
                      notes=_size_notes(N))


@dataclass(frozen=True)
class Continuous:
    """Unrounded summary of a numeric variable; N excludes the missing values."""

    N: int
    mean: float | None
    sd: float | None
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None
    missing: int = 0
    notes: tuple[str, ...] = ()

    def rounded(self, digits: int = 1) -> dict:
        """Every statistic rounded half up, for display and JSON."""
        out: dict = {"N": self.N}
        for key in ("mean", "sd", "median", "q1", "q3", "min", "max"):
            out[key] = round_half_up(getattr(self, key), digits)
        out["missing"] = self.missing
        return out


def _as_float_array(values) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        return values.astype(float, copy=False)  # numbers already: no pandas round trip
    series = pd.to_numeric(pd.Series(values, dtype=object if isinstance(values, list) else None))
    return series.to_numpy(dtype=float, na_value=np.nan)


def summarise_continuous(values) -> Continuous:
    """Mean, SD (n - 1), median, quartiles (linear interpolation), min, max.

    Missing values (NaN / NA / None) are counted in ``missing`` and left out.
    Reference: Hyndman RJ, Fan Y. Am Stat 1996;50:361-365 (quantile type 7).
    """
    arr = _as_float_array(values)
    present = arr[~np.isnan(arr)]
    N, missing = int(present.size), int(arr.size - present.size)
    if N == 0:
        return Continuous(0, None, None, None, None, None, None, None, missing, _size_notes(0))
    q1, median, q3 = (float(q) for q in np.percentile(present, [25, 50, 75]))
    sd = float(np.std(present, ddof=1)) if N >= 2 else None
    notes = _size_notes(N) + (() if N >= 2 else (NOTE_ONE_VALUE,))
    return Continuous(N, float(np.mean(present)), sd, median, q1, q3,
                      float(present.min()), float(present.max()), missing, notes)


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
    return TestResult(None, None, N, method, (why,) + _size_notes(N))


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
    13 pairs, computed here without scipy; otherwise scipy's exact or permutation
    distribution.
    Reference: Wilcoxon F. Biometrics Bulletin 1945;1:80-83.
    """
    x, y = _as_float_array(before), _as_float_array(after)
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
    ties = np.unique(np.abs(nonzero)).size < nonzero.size
    if d.size > 50 or ((ties or zeros) and d.size > 13):
        statistic, p = signed_rank_normal(nonzero)
        return TestResult(statistic, p, int(d.size), f"{base}, normal approximation",
                          notes + _size_notes(int(d.size)))
    how = "exact distribution" if not (ties or zeros) else "exact permutation distribution"
    from scipy import stats

    res, warned = _call_quietly(stats.wilcoxon, d)
    return TestResult(_finite(res.statistic), _finite(res.pvalue), int(d.size),
                      f"{base}, {how}", notes + warned + _size_notes(int(d.size)))


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
    return TestResult(float(min(b, c)), p, n, method, _size_notes(n))


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
                          notes + _size_notes(N))
    from scipy import stats

    res, warned = _call_quietly(stats.chi2_contingency, t, correction=False)
    low = (NOTE_EXPECTED_LT5,) if np.any(res.expected_freq < 5) else ()
    return TestResult(_finite(res.statistic), _finite(res.pvalue), N,
                      f"Pearson's chi-squared test ({res.dof} df)", low + warned + _size_notes(N))


def compare_continuous(groups: list) -> TestResult:
    """Compare a numeric variable between groups (missing values dropped).

    Two groups: Wilcoxon rank-sum / Mann-Whitney U, two-sided, as
    ``scipy.stats.mannwhitneyu`` (statistic: U of the first group). Three or more:
    Kruskal-Wallis H with tie correction. Any empty group gives no test.
    Reference: Mann HB, Whitney DR. Ann Math Stat 1947;18:50-60.
    Kruskal WH, Wallis WA. J Am Stat Assoc 1952;47:583-621.
    """
    arrays = [a[~np.isnan(a)] for a in (_as_float_array(g) for g in groups)]
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
                      warned + _size_notes(N))
