"""Descriptive estimators for small cohorts, returning frozen result objects, and what
every statistic shares: the notes on empty and small samples, rounding half up, and
numeric arrays from any column.

A proportion comes with its Wilson interval, a numeric variable with its mean, SD,
median and quartiles; every result carries its N and notes (for instance
``NOTE_SMALL_N`` below five patients). The significance tests are in
``core.significance``. Nothing here raises on data or imports scipy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist

import numpy as np
import pandas as pd

# Notes are constants so that the UI can map them to translated labels.
NOTE_SMALL_N = "n < 5: interpret with care"
NOTE_NO_DATA = "no data"
NOTE_ONE_VALUE = "SD needs at least 2 values"

SMALL_N = 5


def round_half_up(x: float | None, digits: int = 1) -> float | None:
    """Round as people do on paper (7.25 -> 7.3), from the shortest repr of x.

    None, NaN and infinities give None.
    """
    if x is None or pd.isna(x) or not math.isfinite(float(x)):
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def size_notes(n: int) -> tuple[str, ...]:
    """The notes of a result on ``n`` values: no data, fewer than ``SMALL_N``."""
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
        return Proportion(0, 0, None, None, None, notes=size_notes(0))
    # Exact decimal division so that a true x.x5 percentage rounds up.
    pct = float((Decimal(100 * n) / Decimal(N)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    low, high = _wilson_bounds(n, N, confidence)
    return Proportion(n, N, pct, round_half_up(100 * low), round_half_up(100 * high),
                      notes=size_notes(N))


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


def as_float_array(values) -> np.ndarray:
    """``values`` (a list, Series or array) as floats, missing values as NaN."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        return values.astype(float, copy=False)  # numbers already: no pandas round trip
    series = pd.to_numeric(pd.Series(values, dtype=object if isinstance(values, list) else None))
    return series.to_numpy(dtype=float, na_value=np.nan)


def summarise_continuous(values) -> Continuous:
    """Mean, SD (n - 1), median, quartiles (linear interpolation), min, max.

    Missing values (NaN / NA / None) are counted in ``missing`` and left out.
    Reference: Hyndman RJ, Fan Y. Am Stat 1996;50:361-365 (quantile type 7).
    """
    arr = as_float_array(values)
    present = arr[~np.isnan(arr)]
    N, missing = int(present.size), int(arr.size - present.size)
    if N == 0:
        return Continuous(0, None, None, None, None, None, None, None, missing, size_notes(0))
    q1, median, q3 = (float(q) for q in np.percentile(present, [25, 50, 75]))
    sd = float(np.std(present, ddof=1)) if N >= 2 else None
    notes = size_notes(N) + (() if N >= 2 else (NOTE_ONE_VALUE,))
    return Continuous(N, float(np.mean(present)), sd, median, q1, q3,
                      float(present.min()), float(present.max()), missing, notes)
