"""core.distributions: the Wilcoxon normal approximation and the Binomial(n, 1/2) tail
computed without scipy, cross-checked against scipy on many random samples."""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats as sps

from core.distributions import EXACT_LIMIT, binom_half_cdf
from core.significance import NOTE_ZEROS_DROPPED, mcnemar, wilcoxon_signed_rank

_RNG = np.random.default_rng(20261202)


def _sample(n: int, shift: float, grid: float | None, zeros: int):
    """Paired doses: ``after`` moves by ``shift`` SDs on average; values rounded to
    ``grid`` (ties) when given; the first ``zeros`` pairs unchanged."""
    before = _RNG.normal(20, 5, n)
    after = before + _RNG.normal(shift, 1, n) * 5
    if grid is not None:
        before, after = np.round(before / grid) * grid, np.round(after / grid) * grid
    after[:zeros] = before[:zeros]
    return before, after


_CASES = [
    (int(n), float(shift), grid, int(zeros))
    for n, shift, grid, zeros in zip(
        np.geomspace(51, 5_000, 60).astype(int),
        np.tile([0.0, 0.02, 0.05, 0.1, 0.2, 0.4], 10),
        [None, 2.5, 0.5, 5.0] * 15,
        np.tile([0, 0, 3, 40, 1], 12),
    )
]


@pytest.mark.parametrize("n, shift, grid, zeros", _CASES)
def test_signed_rank_normal_approximation_matches_scipy(n, shift, grid, zeros):
    before, after = _sample(n, shift, grid, zeros)
    ours = wilcoxon_signed_rank(before, after)
    ref = sps.wilcoxon(after - before)
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=0)
    assert ours.method.endswith("normal approximation") and "continuity" not in ours.method
    assert (NOTE_ZEROS_DROPPED in ours.notes) is bool(np.any(after == before))


def test_signed_rank_cases_span_small_and_large_p_values():
    p = [sps.wilcoxon(np.subtract(*_sample(n, s, g, z)[::-1])).pvalue for n, s, g, z in _CASES]
    assert min(p) < 1e-10 and max(p) > 0.5


@pytest.mark.parametrize("n", [14, 20, 35, 50])
def test_small_samples_with_ties_take_scipys_normal_approximation_too(n):
    # With ties or zeros above 13 pairs, scipy's method="auto" falls back to the normal
    # approximation as well.
    before, after = _sample(n, 0.2, 2.5, 2)
    ours = wilcoxon_signed_rank(before, after)
    assert ours.p_value == pytest.approx(sps.wilcoxon(after - before).pvalue, rel=1e-9, abs=0)
    assert ours.method.endswith("normal approximation")


def test_normal_approximation_has_no_continuity_correction():
    before, after = _sample(300, 0.1, 0.5, 0)
    d = after - before
    ours = wilcoxon_signed_rank(before, after).p_value
    assert ours == pytest.approx(sps.wilcoxon(d, correction=False, method="asymptotic").pvalue, rel=1e-12)
    assert ours != pytest.approx(sps.wilcoxon(d, correction=True, method="asymptotic").pvalue, rel=1e-9)


def _tail_points(n: int) -> list[int]:
    """k from far in the tail (P about 1e-300) to the middle of Binomial(n, 1/2)."""
    half, sd = n / 2, math.sqrt(n) / 2
    return sorted({max(0, int(half - z * sd)) for z in (0, 0.3, 1, 2, 3.5, 5, 8, 12, 20, 35)} | {n // 2})


@pytest.mark.parametrize("n", [1, 2, 17, 400, EXACT_LIMIT, EXACT_LIMIT + 1, 1_234, 5_001, 20_000,
                               77_777, 150_000, 199_999, 200_000])
def test_binomial_half_lower_tail_matches_scipy(n):
    for k in _tail_points(n):
        ref = sps.binom.cdf(k, n, 0.5)
        if ref > 1e-290:
            assert binom_half_cdf(k, n) == pytest.approx(ref, rel=1e-9, abs=0), k


@pytest.mark.parametrize("b, c", [(600, 640), (1_500, 1_380), (2_000, 2_400), (49_000, 51_000),
                                  (99_700, 100_300), (3_000, 1), (0, 5_000)])
def test_mcnemar_on_many_discordant_pairs_matches_scipy(b, c):
    ref = min(1.0, 2 * sps.binom.cdf(min(b, c), b + c, 0.5))
    ours = mcnemar(b, c)
    assert ours.statistic == min(b, c) and ours.N == b + c
    assert ours.p_value == pytest.approx(ref, rel=1e-9, abs=1e-300)


def test_large_tests_do_not_import_scipy():
    code = ("import sys, numpy as np; from core.significance import mcnemar, wilcoxon_signed_rank; "
            "r = np.random.default_rng(1); x = r.normal(size=5000).round(1); "
            "wilcoxon_signed_rank(x, x + r.normal(size=5000).round(1)); mcnemar(150_000, 40_123); "
            "wilcoxon_signed_rank(x[:30], x[:30] + 1); "  # all differences 1: ties, normal approximation
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
