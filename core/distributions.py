"""Null distributions of the paired tests, in numpy and math (no scipy).

The normal approximation of the Wilcoxon signed-rank statistic and the lower tail of
Binomial(n, 1/2), both to full double precision, so that large cohorts get their
p-values without importing scipy.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

# Up to this many trials the binomial tail is an exact rational sum.
EXACT_LIMIT = 1000
_SQRT1_2 = math.sqrt(0.5)


def signed_rank_normal(nonzero: np.ndarray) -> tuple[float, float]:
    """Smaller rank sum and two-sided normal p-value of the signed ranks of ``nonzero``.

    Ranks of |d| are averaged over ties; z = (R+ - n(n+1)/4) / se with
    se^2 = (n(n+1)(2n+1) - sum(t^3 - t) / 2) / 24 over the tie groups t, no continuity
    correction, p = 2 Phi(-|z|): the arithmetic of scipy.stats.wilcoxon (1.17).
    """
    magnitude = np.abs(nonzero)
    order = np.argsort(magnitude, kind="stable")
    ordered = magnitude[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, ordered.size)).astype(float)
    ranks = np.repeat(starts + 1 + (counts - 1) / 2, counts.astype(np.int64))
    positive = nonzero[order] > 0
    r_plus, r_minus = float(ranks[positive].sum()), float(ranks[~positive].sum())
    n = float(nonzero.size)
    mean = n * (n + 1.0) * 0.25
    se = math.sqrt((n * (n + 1.0) * (2.0 * n + 1.0) - float(np.sum(counts**3 - counts)) / 2) / 24)
    z = abs((r_plus - mean) / se)
    # 2 Phi(-z) by erf near 0 and erfc in the tail, as the normal CDF in scipy.special.
    p = 1.0 - math.erf(z * _SQRT1_2) if z < 1.0 else math.erfc(z * _SQRT1_2)
    return min(r_plus, r_minus), p


def _stirling_error(n: int) -> float:
    """log(n!) - log(sqrt(2 pi n) (n/e)^n), to full relative precision (Loader 2000)."""
    if n <= 15:
        return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - 0.5 * math.log(2 * math.pi)
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    nn = float(n) * n
    if n > 500:
        return (s0 - s1 / nn) / n
    if n > 80:
        return (s0 - (s1 - s2 / nn) / nn) / n
    if n > 35:
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n


def _deviance(x: float, mean: float) -> float:
    """x log(x / mean) + mean - x, without cancellation when x is near mean (Loader 2000)."""
    if abs(x - mean) < 0.1 * (x + mean):
        v = (x - mean) / (x + mean)
        s, term, v2 = (x - mean) * v, 2 * x * v, v * v
        for j in range(1, 1000):
            term *= v2
            following = s + term / (2 * j + 1)
            if following == s:
                return s
            s = following
        return s
    return x * math.log(x / mean) + mean - x


def binom_half_pmf(k: int, n: int) -> float:
    """P(X = k) for X ~ Binomial(n, 1/2), 0 < k < n, by Loader's saddle-point formula."""
    log_core = (_stirling_error(n) - _stirling_error(k) - _stirling_error(n - k)
                - _deviance(k, n / 2) - _deviance(n - k, n / 2))
    return math.exp(log_core) / math.sqrt(2 * math.pi * k * (n - k) / n)


def binom_half_cdf(k: int, n: int) -> float:
    """P(X <= k) for X ~ Binomial(n, 1/2), k <= n / 2.

    Exact rational sum up to ``EXACT_LIMIT`` trials; beyond, P(X = k) by Loader's
    saddle-point formula times the sum of the ratios P(X = i) / P(X = k), i <= k,
    each the running product of i / (n - i + 1).
    Reference: Loader C. Fast and accurate computation of binomial probabilities, 2000.
    """
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if n <= EXACT_LIMIT:
        return float(Fraction(sum(math.comb(n, i) for i in range(k + 1)), 2 ** n))
    if k == 0:
        return math.ldexp(1.0, -n)
    i = np.arange(k, 0, -1, dtype=float)
    ratios = np.cumprod(i / (n - i + 1))
    return min(1.0, binom_half_pmf(k, n) * (1.0 + float(ratios.sum())))
