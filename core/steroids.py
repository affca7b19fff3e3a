"""Steroid sparing: corticosteroid use and prednisone-equivalent dose over follow-up."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core import queries
from core.cached import cached_property
from core.filters import Filter, resolve_filter
from core.populations import report_months, small_n_notes
from core.scoring import NOTE_UNKNOWN_DRUG, unknown_drugs
from core.settings import Settings
from core.significance import TestResult, wilcoxon_signed_rank
from core.stats import Continuous, Proportion, estimate_proportion, summarise_continuous


@dataclass(frozen=True)
class SteroidMonth:
    """Corticosteroids at one month among analysed patients.

    - ``on_cs``: recorded dose > 0 among patients with a known dose (N = ``known``),
      whatever the drug.
    - ``dose``: prednisone-equivalent mg/day among those on corticosteroids; a dose of
      a drug with no known equivalent is missing (``unknown_drug_doses`` counts them).
    - ``at_or_under``: (threshold, share with an equivalent dose <= threshold among
      known equivalent doses).
    - ``stopped``: on corticosteroids at M0 and 0 at the month, among those on them at
      M0 with a known dose at the month (None at M0).
    - ``change``: Mk - M0 equivalent dose among patients with both known (Continuous)
      and its Wilcoxon signed-rank test (None at M0); ``zero_differences``: the pairs
      with an unchanged dose, which the test drops (None at M0).
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
    unknown_drug_doses: int = 0

    def as_dict(self) -> dict:
        """The summary-json ``steroids.Mk`` entry."""
        rounded = self.dose.rounded(1)
        return {"on_cs": self.on_cs.as_count(), "N": self.dose.N, "median": rounded["median"],
                "q1": rounded["q1"], "q3": rounded["q3"]}


@dataclass(frozen=True, eq=False)
class Steroids:
    """Steroid panel: one ``SteroidMonth`` per month (M0 first); ``doses`` is a tidy
    frame (patient_id, month, seen, dose_mg, dose_m0_mg, recorded_mg, recorded_m0_mg,
    unknown_drug, unknown_drug_m0): prednisone equivalents for paired plots and the
    doses as recorded, read from the cohort when first asked for (its connection must
    still be open). ``unknown_drugs`` names, as the user wrote them, the drugs whose
    doses were left out of the equivalent summaries (``unknown_drug_doses`` of them);
    ``notes`` are fixed codes only (``core.i18n.note_text``). ``patients_with_doses``:
    the patients with a known equivalent dose at some month (the lines of a dose chart),
    ``known_doses`` those doses (the lines' points)."""

    N: int
    months: tuple[int, ...]
    by_month: tuple[SteroidMonth, ...]
    unknown_drugs: tuple[str, ...]
    notes: tuple[str, ...]
    unknown_drug_doses: int = 0
    patients_with_doses: int = 0
    known_doses: int = 0
    fetch_doses: Callable[[], pd.DataFrame] = field(repr=False, default=lambda: pd.DataFrame(columns=DOSE_COLUMNS))

    def at(self, month: int) -> SteroidMonth:
        return next(m for m in self.by_month if m.month == month)

    @cached_property
    def doses(self) -> pd.DataFrame:
        return self.fetch_doses()


DOSE_COLUMNS = ["patient_id", "month", "seen", "dose_mg", "dose_m0_mg", "recorded_mg", "recorded_m0_mg",
                "unknown_drug", "unknown_drug_m0"]


def _month(rows: dict[str, np.ndarray], month: int, settings: Settings) -> SteroidMonth:
    # On corticosteroids, known doses and stops read the dose as recorded (a drug the
    # app does not recognise is still a corticosteroid); only the equivalent-dose
    # summaries need the conversion and leave unconverted doses out.
    recorded, recorded_m0 = rows["recorded_mg"], rows["recorded_m0_mg"]
    dose, dose_m0 = rows["dose_mg"], rows["dose_m0_mg"]
    known, converted = ~np.isnan(recorded), ~np.isnan(dose)
    on = recorded > 0
    at_or_under = tuple(
        (float(t), estimate_proportion(int((dose[converted] <= t).sum()), int(converted.sum())))
        for t in settings.cs_thresholds
    )
    left_out = int(rows["unknown_drug"].sum())
    stopped = change = test = zeros = None
    if month != settings.baseline_month:
        was_on = (recorded_m0 > 0) & known
        stopped = estimate_proportion(int((was_on & (recorded == 0)).sum()), int(was_on.sum()))
        both = converted & ~np.isnan(dose_m0)
        diff = (dose - dose_m0)[both]
        change = summarise_continuous(diff)
        zeros = int((diff == 0).sum())
        test = wilcoxon_signed_rank(dose_m0[both], dose[both])
        pairs_left_out = bool((rows["unknown_drug_m0"] & known).any())
    else:
        pairs_left_out = False
    notes = small_n_notes(int(known.sum()), settings)
    if left_out or pairs_left_out:
        notes += (NOTE_UNKNOWN_DRUG,)
    return SteroidMonth(
        month=month, known=int(known.sum()),
        on_cs=estimate_proportion(int(on.sum()), int(known.sum())),
        dose=summarise_continuous(dose[on]),
        at_or_under=at_or_under, stopped=stopped, change=change, test=test, zero_differences=zeros,
        notes=notes, unknown_drug_doses=left_out,
    )


def steroids(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Steroids:
    """Corticosteroid use, dose, thresholds, stops and paired change from M0.

    On corticosteroids: recorded dose > 0, whatever the drug. Equivalent-dose summaries
    (median and quartiles, thresholds, paired change and its test) leave out doses of a
    drug with no known prednisone equivalent. The doses come from SQL
    (``queries.prednisone_equivalent_sql``) in patient order, as numpy arrays.

    Reference: cohort-format.md, "Derived definitions" (on corticosteroids);
    Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (prednisone equivalents);
    Wilcoxon F. Biometrics Bulletin 1945;1:80-83 (signed-rank test).
    """
    flt = resolve_filter(cohort, filter)
    months = (settings.baseline_month, *report_months(cohort, settings))
    con = cohort.con
    values = queries.steroid_values_query(con, flt, settings, months)
    # Rows come by month: each month's rows are one slice of every array (views, no copy).
    month_of = values["month"]
    starts, ends = np.searchsorted(month_of, months, side="left"), np.searchsorted(month_of, months, side="right")
    by_month = tuple(_month({k: v[start:end] for k, v in values.items()}, m, settings)
                     for m, start, end in zip(months, starts, ends))
    left_out = int(values["unknown_drug"].sum())
    named = queries.steroid_unknown_drugs_query(con, flt, settings, months) if left_out else []
    unknown = unknown_drugs(pd.Series(named, dtype="string"))
    N = queries.analysed_count_query(con, flt, settings)
    dosed = ~np.isnan(values["dose_mg"])
    # Rows come by month, then patient: sorted runs, which a stable sort merges at once
    # (np.unique's quicksort takes twenty times as long).
    pids = np.sort(values["_pid"][dosed], kind="stable")
    with_doses = int(np.count_nonzero(pids[1:] != pids[:-1])) + int(pids.size > 0)
    notes = small_n_notes(N, settings) + ((NOTE_UNKNOWN_DRUG,) if unknown else ())
    return Steroids(N, months, by_month, unknown, notes, left_out, with_doses, int(dosed.sum()),
                    fetch_doses=lambda: _dose_frame(queries.steroid_doses_query(con, flt, settings, months)))


def _dose_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """``Steroids.doses`` from ``queries.steroid_doses_query`` rows."""
    return rows.astype({"month": int, "seen": bool, "dose_mg": "Float64", "dose_m0_mg": "Float64",
                        "recorded_mg": "Float64", "recorded_m0_mg": "Float64", "unknown_drug": bool,
                        "unknown_drug_m0": bool})[DOSE_COLUMNS]
