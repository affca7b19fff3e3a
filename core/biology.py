"""Biology: IFN signature, anti-dsDNA and complement at M0 and their course."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import queries
from core.filters import Filter, resolve_filter
from core.populations import report_months, small_n_notes
from core.scoring import DOWN, STABLE, UNKNOWN, UP, anti_dsdna_elevated, complement_activated, shift
from core.settings import Settings
from core.stats import Proportion, TestResult, estimate_proportion, mcnemar

SHIFTS = (DOWN, UP, STABLE, UNKNOWN)


@dataclass(frozen=True)
class ShiftCounts:
    """Patients per shift bucket from M0 to ``month``; every patient in one bucket."""

    month: int
    N: int
    down: int
    up: int
    stable: int
    unknown: int
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {DOWN: self.down, UP: self.up, STABLE: self.stable, UNKNOWN: self.unknown}


@dataclass(frozen=True)
class PairedStatus:
    """A yes/no status (IFN positive, anti-dsDNA elevated, complement activated) at M0
    versus ``month``, among the ``paired`` patients: those whose status is known at
    both visits. A patient unknown at either visit is in no count and no denominator.

    ``resolved``: positive at M0 and negative at the month, out of ``positive_m0`` (for
    complement, "normalised"); ``appeared``: negative at M0 and positive at the month,
    out of ``paired - positive_m0``; ``test``: McNemar on those two discordant counts.

    Reference: summary-json.md, ``status_change`` (contract version 1.1).
    """

    month: int
    paired: int
    positive_m0: int
    positive_mk: int
    resolved: Proportion
    appeared: Proportion
    test: TestResult

    def as_dict(self) -> dict:
        """The ``status_change.<marker>.Mk`` entry of summary-json (all 0 when nobody is paired)."""
        return {"paired": self.paired, "positive_M0": self.positive_m0,
                "resolved": {"n": self.resolved.n, "N": self.resolved.N},
                "appeared": {"n": self.appeared.n, "N": self.appeared.N}}


@dataclass(frozen=True, eq=False)
class Marker:
    """One biological marker: status at M0 (among known), shifts of its value, paired
    status changes, and per-patient pairs (patient_id, month, seen, value_m0, value,
    status_m0, status, shift; complement adds c3_m0, c4_m0, c3, c4) for paired plots,
    one row per analysed patient and follow-up month."""

    name: str
    status_m0: Proportion
    shifts: tuple[ShiftCounts, ...]
    changes: tuple[PairedStatus, ...]
    pairs: pd.DataFrame
    notes: tuple[str, ...]

    def shift_at(self, month: int) -> ShiftCounts:
        return next(s for s in self.shifts if s.month == month)

    def change_at(self, month: int) -> PairedStatus:
        return next(c for c in self.changes if c.month == month)


@dataclass(frozen=True, eq=False)
class Biology:
    """Biology panel of the analysed patients: ``ifn`` (positive signature; score
    shifts over all analysed), ``anti_dsdna`` (elevated; shifts among the elevated at
    M0), ``complement`` (activated; no value shift)."""

    N: int
    months: tuple[int, ...]
    ifn: Marker
    anti_dsdna: Marker
    complement: Marker
    notes: tuple[str, ...]


def _shift_counts(shifts: pd.Series, months: pd.Series, month: int, settings: Settings) -> ShiftCounts:
    counts = shifts[months == month].value_counts()
    n = {k: int(counts.get(k, 0)) for k in SHIFTS}
    total = sum(n.values())
    return ShiftCounts(month, total, n[DOWN], n[UP], n[STABLE], n[UNKNOWN], small_n_notes(total, settings))


def _paired_status(status_m0: pd.Series, status: pd.Series, month_mask: pd.Series, month: int) -> PairedStatus:
    before, after = status_m0[month_mask], status[month_mask]
    known = before.notna() & after.notna()
    b0, a0 = before[known].astype(bool), after[known].astype(bool)
    paired, positive = int(known.sum()), int(b0.sum())
    resolved, appeared = int((b0 & ~a0).sum()), int((~b0 & a0).sum())
    return PairedStatus(
        month=month, paired=paired, positive_m0=positive, positive_mk=int(a0.sum()),
        resolved=estimate_proportion(resolved, positive),
        appeared=estimate_proportion(appeared, paired - positive),
        test=mcnemar(resolved, appeared),
    )


def _marker(name: str, frame: pd.DataFrame, value_m0, value, status_m0: pd.Series, status: pd.Series,
            months: tuple[int, ...], settings: Settings, shift_among: pd.Series | None,
            extra_columns: tuple[str, ...] = ()) -> Marker:
    shifts = (shift(value_m0, value, settings.shift_tolerance) if value is not None
              else pd.Series(UNKNOWN, index=frame.index, dtype="string"))
    at_m0 = frame["month"] == settings.baseline_month
    base = status_m0[at_m0]
    positive = estimate_proportion(int(base.fillna(False).astype(bool).sum()), int(base.notna().sum()))
    counted = shift_among.fillna(False).astype(bool) if shift_among is not None else pd.Series(True, index=frame.index)
    shift_rows = tuple(
        _shift_counts(shifts[counted], frame.loc[counted, "month"], m, settings) for m in months
    ) if value is not None else ()
    changes = tuple(_paired_status(status_m0, status, frame["month"] == m, m) for m in months)
    pairs = pd.DataFrame({
        "patient_id": frame["patient_id"], "month": frame["month"], "seen": frame["seen"],
        "value_m0": value_m0 if value is not None else pd.NA, "value": value if value is not None else pd.NA,
        "status_m0": status_m0, "status": status, "shift": shifts,
        **{column: frame[column] for column in extra_columns},
    })[~at_m0].reset_index(drop=True)
    return Marker(name, positive, shift_rows, changes, pairs, small_n_notes(positive.N, settings))


def biology(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Biology:
    """IFN signature, anti-dsDNA and complement of the analysed patients.

    Reference: cohort-format.md, "Derived definitions" (shift, anti-dsDNA elevated,
    complement activation); McNemar Q. Psychometrika 1947;12:153-157 (paired status).
    """
    flt = resolve_filter(cohort, filter)
    months = report_months(cohort, settings)
    f = queries.biology_query(cohort.con, flt, settings, (settings.baseline_month, *months))
    ifn = _marker(
        "ifn", f, f["ifn_score_m0"], f["ifn_score"],
        _status_positive(f["ifn_signature_m0"]), _status_positive(f["ifn_signature"]),
        months, settings, None,
    )
    elevated_m0 = anti_dsdna_elevated(f["anti_dsdna_elevated_m0"], f["anti_dsdna_m0"], settings.anti_dsdna_threshold)
    elevated = anti_dsdna_elevated(f["anti_dsdna_elevated"], f["anti_dsdna"], settings.anti_dsdna_threshold)
    dsdna = _marker("anti_dsdna", f, f["anti_dsdna_m0"], f["anti_dsdna"], elevated_m0, elevated,
                    months, settings, elevated_m0)
    activated_m0 = complement_activated(f["complement_low_m0"], f["c3_m0"], f["c4_m0"], settings.c3_low, settings.c4_low)
    activated = complement_activated(f["complement_low"], f["c3"], f["c4"], settings.c3_low, settings.c4_low)
    complement = _marker("complement", f, None, None, activated_m0, activated, months, settings, None,
                         ("c3_m0", "c4_m0", "c3", "c4"))
    N = int(f["patient_id"].nunique())
    return Biology(N, months, ifn, dsdna, complement, small_n_notes(N, settings))


def _status_positive(signature: pd.Series) -> pd.Series:
    text = signature.astype("string")
    return (text == "positive").astype("boolean").where(text.notna(), pd.NA)
