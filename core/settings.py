"""The analysis settings: every default of the contract's "Derived definitions".

A clinician may change any of them (labs differ); every analysis function takes a
``Settings`` and the defaults reproduce the poster.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Thresholds and rules of the analysis.

    - ``min_age``: patients known to be younger are excluded from the analysed population.
    - ``shift_tolerance``: a relative change vs M0 within +-tolerance (inclusive) is "stable".
    - ``anti_dsdna_threshold``: anti-dsDNA above it (IU/mL) is elevated, when
      ``anti_dsdna_elevated`` is not given.
    - ``c3_low`` / ``c4_low``: complement below these (g/L) is activated, when
      ``complement_low`` is not given.
    - ``cs_thresholds``: prednisone-equivalent doses (mg/day) whose "at or under" share
      the steroid panel reports.
    - ``response_months``: follow-up months to report; empty means every month > 0 seen
      in the data (plus ``poster_months``).
    - ``poster_months``: months always reported (the poster's), even when nobody was seen.
    - ``small_n``: a result on fewer patients carries a note.

    Reference: cohort-format.md, "Derived definitions" (version 1).
    """

    min_age: float = 18.0
    shift_tolerance: float = 0.10
    anti_dsdna_threshold: float = 10.0
    c3_low: float = 0.9
    c4_low: float = 0.1
    cs_thresholds: tuple[float, ...] = (7.5, 5.0)
    response_months: tuple[int, ...] = ()
    poster_months: tuple[int, ...] = (3, 6)
    baseline_month: int = 0
    small_n: int = 5

    def __post_init__(self) -> None:
        if not 0 <= self.shift_tolerance < 1:
            raise ValueError("shift_tolerance must be in [0, 1)")
        if any(m <= self.baseline_month for m in self.response_months):
            raise ValueError("response_months must come after the baseline month")
