"""Null distributions of the paired tests, in numpy and math (no scipy).

The Wilcoxon signed-rank statistic's normal approximation, exact distribution and exact
permutation distribution, and the lower tail of Binomial(n, 1/2), each to full double
precision: no p-value imports scipy (about a second on a server's first subgroup).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

# Up to this many trials the binomial tail is an exact rational sum.
EXACT_LIMIT = 1000
_SQRT1_2 = math.sqrt(0.5)


def _signed_ranks(nonzero: np.ndarray) -> tuple[np.ndarray, float, float, np.ndarray]:
    """Ranks of |d| averaged over ties (in the order of |d|), the rank sums of the
    positive and of the negative differences, and the size of each tie group."""
    magnitude = np.abs(nonzero)
    order = np.argsort(magnitude, kind="stable")
    ordered = magnitude[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, ordered.size)).astype(float)
    ranks = np.repeat(starts + 1 + (counts - 1) / 2, counts.astype(np.int64))
    positive = nonzero[order] > 0
    return ranks, float(ranks[positive].sum()), float(ranks[~positive].sum()), counts


def signed_rank_normal(nonzero: np.ndarray) -> tuple[float, float]:
    """Smaller rank sum and two-sided normal p-value of the signed ranks of ``nonzero``.

    Ranks of |d| are averaged over ties; z = (R+ - n(n+1)/4) / se with
    se^2 = (n(n+1)(2n+1) - sum(t^3 - t) / 2) / 24 over the tie groups t, no continuity
    correction, p = 2 Phi(-|z|): the arithmetic of scipy.stats.wilcoxon (1.17).
    """
    _, r_plus, r_minus, counts = _signed_ranks(nonzero)
    n = float(nonzero.size)
    mean = n * (n + 1.0) * 0.25
    se = math.sqrt((n * (n + 1.0) * (2.0 * n + 1.0) - float(np.sum(counts**3 - counts)) / 2) / 24)
    z = abs((r_plus - mean) / se)
    # 2 Phi(-z) by erf near 0 and erfc in the tail, as the normal CDF in scipy.special.
    p = 1.0 - math.erf(z * _SQRT1_2) if z < 1.0 else math.erfc(z * _SQRT1_2)
    return min(r_plus, r_minus), p


def signed_rank_exact(nonzero: np.ndarray) -> tuple[float, float]:
    """Smaller rank sum and two-sided exact p-value of ``nonzero`` (no ties, no zeros).

    Under the null hypothesis each of the 2^n sign patterns is equally likely: the
    number of patterns giving R+ = k is the number of subsets of {1, ..., n} summing to
    k, counted exactly. p = 2 min(P(R+ >= R+obs), P(R+ <= R+obs)), at most 1: the
    arithmetic of scipy.stats.wilcoxon(method="exact") (1.17).
    """
    _, r_plus, r_minus, _ = _signed_ranks(nonzero)
    n = nonzero.size
    ways = np.zeros(n * (n + 1) // 2 + 1, dtype=np.int64)  # subsets of 1..n by their sum
    ways[0] = 1
    for rank in range(1, n + 1):
        ways[rank:] = ways[rank:] + ways[:-rank]  # the sum is a new array: no overlap
    k = int(round(r_plus))
    lower, upper = int(ways[:k + 1].sum()), int(ways[k:].sum())
    return min(r_plus, r_minus), min(1.0, 2 * min(lower, upper) / 2.0 ** n)


def signed_rank_permutation(d: np.ndarray) -> tuple[float, float]:
    """Smaller rank sum and two-sided p-value of the differences ``d`` (zeros included)
    over every one of their sign patterns: 2^n of them, so n is at most 20.

    Zeros are left out of the ranks and ties share their average rank; each pattern of
    signs of the non-zero differences gives its R+ (a zero's sign changes nothing). p =
    2 min(P(R+ <= R+obs), P(R+ >= R+obs)), at most 1, R+ compared within 100 machine
    epsilons of R+obs: scipy.stats.wilcoxon's permutation test (1.17), which it runs
    with ties or zeros up to 13 pairs.
    """
    if d.size > 20:
        raise ValueError(f"{d.size} differences have too many sign patterns to enumerate")
    nonzero = d[d != 0]
    ranks, r_plus, r_minus, _ = _signed_ranks(nonzero)
    patterns = (np.arange(2 ** nonzero.size)[:, None] >> np.arange(nonzero.size)) & 1
    null = patterns @ ranks
    gamma = abs(np.finfo(float).eps * 100 * r_plus)
    lower, upper = np.mean(null <= r_plus + gamma), np.mean(null >= r_plus - gamma)
    return min(r_plus, r_minus), min(1.0, 2 * float(min(lower, upper)))


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
