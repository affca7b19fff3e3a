"""Steroid sparing: corticosteroid use and prednisone-equivalent dose over follow-up."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import queries
from core.filters import Filter, resolve_filter
from core.populations import report_months, small_n_notes
from core.scoring import prednisone_equivalent, unknown_drugs
from core.settings import Settings
from core.stats import (Continuous, Proportion, TestResult, estimate_proportion, summarise_continuous,
                        wilcoxon_signed_rank)


@dataclass(frozen=True)
class SteroidMonth:
    """Corticosteroids at one month among analysed patients.

    - ``on_cs``: dose > 0 among patients with a known dose (N = ``known``).
    - ``dose``: prednisone-equivalent mg/day among those on corticosteroids.
    - ``at_or_under``: (threshold, share with dose <= threshold among known doses).
    - ``stopped``: on corticosteroids at M0 and 0 at the month, among those on them at
      M0 with a known dose at the month (None at M0).
    - ``change``: Mk - M0 dose among patients with both known (Continuous) and its
      Wilcoxon signed-rank test (None at M0); ``zero_differences``: the pairs with an
      unchanged dose, which the test drops (None at M0).
    """

    month: int
    known: int
    on_cs: Proportion
    dose: Continuous
    at_or_under: tuple[tuple[float, Proportion], ...]
    stopped: Proportion | None
    change: Continuous | None
    test: TestResult | None
    zero_differences: int | None
    notes: tuple[str, ...]

    def as_dict(self) -> dict:
        """The summary-json ``steroids.Mk`` entry."""
        rounded = self.dose.rounded(1)
        return {"on_cs": self.on_cs.as_count(), "N": self.dose.N, "median": rounded["median"],
                "q1": rounded["q1"], "q3": rounded["q3"]}


@dataclass(frozen=True, eq=False)
class Steroids:
    """Steroid panel: one ``SteroidMonth`` per month (M0 first); ``doses`` is a tidy
    frame (patient_id, month, seen, dose_mg, dose_m0_mg) of prednisone equivalents for
    paired plots; ``unknown_drugs`` names drugs whose dose was left unknown."""

    N: int
    months: tuple[int, ...]
    by_month: tuple[SteroidMonth, ...]
    doses: pd.DataFrame
    unknown_drugs: tuple[str, ...]
    notes: tuple[str, ...]

    def at(self, month: int) -> SteroidMonth:
        return next(m for m in self.by_month if m.month == month)


def _month(rows: pd.DataFrame, month: int, settings: Settings) -> SteroidMonth:
    dose, dose_m0 = rows["dose_mg"], rows["dose_m0_mg"]
    known = dose.notna()
    on = (dose > 0).fillna(False)
    at_or_under = tuple(
        (float(t), estimate_proportion(int((dose[known] <= t).sum()), int(known.sum())))
        for t in settings.cs_thresholds
    )
    stopped = change = test = zeros = None
    if month != settings.baseline_month:
        was_on = (dose_m0 > 0).fillna(False) & known
        stopped = estimate_proportion(int((was_on & (dose == 0)).sum()), int(was_on.sum()))
        both = known & dose_m0.notna()
        diff = (dose - dose_m0)[both]
        change = summarise_continuous(diff)
        zeros = int((diff == 0).sum())
        test = wilcoxon_signed_rank(dose_m0[both].to_numpy(dtype=float), dose[both].to_numpy(dtype=float))
    return SteroidMonth(
        month=month, known=int(known.sum()),
        on_cs=estimate_proportion(int(on.sum()), int(known.sum())),
        dose=summarise_continuous(dose[on]),
        at_or_under=at_or_under, stopped=stopped, change=change, test=test, zero_differences=zeros,
        notes=small_n_notes(int(known.sum()), settings),
    )


def steroids(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Steroids:
    """Corticosteroid use, dose, thresholds, stops and paired change from M0.

    Reference: cohort-format.md, "Derived definitions" (on corticosteroids);
    Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (prednisone equivalents);
    Wilcoxon F. Biometrics Bulletin 1945;1:80-83 (signed-rank test).
    """
    flt = resolve_filter(cohort, filter)
    months = (settings.baseline_month, *report_months(cohort, settings))
    f = queries.steroid_query(cohort.con, flt, settings, months)
    doses = pd.DataFrame({
        "patient_id": f["patient_id"], "month": f["month"].astype(int), "seen": f["seen"].astype(bool),
        "dose_mg": prednisone_equivalent(f["cs_dose_mg"], f["cs_drug"]),
        "dose_m0_mg": prednisone_equivalent(f["cs_dose_mg_m0"], f["cs_drug_m0"]),
    })
    positive = (pd.to_numeric(f["cs_dose_mg"], errors="coerce") > 0).fillna(False)
    unknown = unknown_drugs(f.loc[positive, "cs_drug"])
    by_month = tuple(_month(doses[doses["month"] == m], m, settings) for m in months)
    N = int(f["patient_id"].nunique())
    notes = small_n_notes(N, settings)
    if unknown:
        notes += ("unknown corticosteroid drug, dose left unknown: " + ", ".join(unknown),)
    return Steroids(N, months, by_month, doses, unknown, notes)

