"""Biology: IFN signature, anti-dsDNA and complement at M0 and their course."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core import queries
from core.cached import cached_property
from core.filters import Filter, resolve_filter
from core.populations import report_months, small_n_notes
from core.scoring import DOWN, STABLE, UNKNOWN, UP
from core.settings import Settings
from core.significance import TestResult, mcnemar
from core.stats import Proportion, estimate_proportion

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
    one row per analysed patient and follow-up month, read from the cohort when first
    asked for (its connection must still be open); ``pairs_at`` reads one month, and
    ``paired_medians_at`` the same pairs summed up per shift (n and median values)."""

    name: str
    status_m0: Proportion
    shifts: tuple[ShiftCounts, ...]
    changes: tuple[PairedStatus, ...]
    notes: tuple[str, ...]
    fetch_pairs: Callable[..., pd.DataFrame] = field(repr=False,
                                                     default=lambda at=(): pd.DataFrame(columns=PAIR_COLUMNS))
    fetch_medians: Callable[[int], pd.DataFrame] = field(
        repr=False, default=lambda month: pd.DataFrame(columns=PAIRED_MEDIAN_COLUMNS))

    def shift_at(self, month: int) -> ShiftCounts:
        return next(s for s in self.shifts if s.month == month)

    def change_at(self, month: int) -> PairedStatus:
        return next(c for c in self.changes if c.month == month)

    @cached_property
    def pairs(self) -> pd.DataFrame:
        return self.fetch_pairs()

    def pairs_at(self, month: int) -> pd.DataFrame:
        """``pairs`` at one follow-up ``month`` only (read once, then kept)."""
        if "pairs" in self.__dict__:
            return self.pairs[self.pairs["month"] == month].reset_index(drop=True)
        kept = self.__dict__.setdefault("_pairs_at", {})
        if month not in kept:
            kept[month] = self.fetch_pairs((month,))
        return kept[month]

    def paired_medians_at(self, month: int) -> pd.DataFrame:
        """The patients of the paired plot at ``month`` (value known at M0 and at the
        month; anti-dsDNA: elevated at M0) per shift, in text order: shift, value_m0 and
        value (medians), n; summed up in SQL (``queries.biology_paired_medians_query``),
        read once, then kept. Markers without a value (complement) have none."""
        kept = self.__dict__.setdefault("_medians_at", {})
        if month not in kept:
            kept[month] = self.fetch_medians(month)
        return kept[month]


PAIR_COLUMNS = ["patient_id", "month", "seen", "value_m0", "value", "status_m0", "status", "shift"]
PAIRED_MEDIAN_COLUMNS = ["shift", "value_m0", "value", "n"]


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


def _marker(name: str, base: dict, visits: pd.DataFrame, months: tuple[int, ...], settings: Settings,
            fetch_pairs: Callable[[], pd.DataFrame], fetch_medians: Callable[[int], pd.DataFrame]) -> Marker:
    positive = estimate_proportion(int(base[f"{name}_positive"]), int(base[f"{name}_known"]))
    status_m0 = visits[f"{name}_m0"].astype("boolean")
    status = visits[f"{name}_mk"].astype("boolean")
    shifts = ()
    if f"{name}_shift" in visits.columns:  # complement has no value to shift
        # Every analysed patient (anti-dsDNA: elevated at M0) is in one bucket at each
        # month; those without a visit at the month have no value there: unknown.
        among_positive = name in queries.SHIFT_AMONG_POSITIVE
        among = int(base[f"{name}_positive"]) if among_positive else int(base["patients"])
        counted = status_m0.fillna(False) if among_positive else pd.Series(True, index=visits.index)
        shifts = tuple(_shift_counts(visits[counted.to_numpy(dtype=bool)], name, m, among, settings) for m in months)
    changes = tuple(_paired_status(visits, status_m0, status, m) for m in months)
    return Marker(name, positive, shifts, changes, small_n_notes(positive.N, settings), fetch_pairs, fetch_medians)


def _status_at_m0(m0_visits: pd.DataFrame, patients: int) -> dict:
    """Per marker, the analysed patients with a status known at M0 and positive then,
    counted on the baseline visits (one per patient who had it)."""
    base = {"patients": patients}
    for name in queries.BIOLOGY_MARKERS:
        status = m0_visits[f"{name}_m0"].astype("boolean")
        base[f"{name}_known"] = int(m0_visits.loc[status.notna().to_numpy(dtype=bool), "n"].sum())
        base[f"{name}_positive"] = int(m0_visits.loc[status.fillna(False).to_numpy(dtype=bool), "n"].sum())
    return base


def _shift_counts(visits: pd.DataFrame, name: str, month: int, total: int, settings: Settings) -> ShiftCounts:
    at = visits[visits["month"] == month]
    n = {k: int(at.loc[at[f"{name}_shift"] == k, "n"].sum()) for k in (DOWN, UP, STABLE)}
    unknown = total - sum(n.values())
    return ShiftCounts(month, total, n[DOWN], n[UP], n[STABLE], unknown, small_n_notes(total, settings))


def _paired_status(visits: pd.DataFrame, before: pd.Series, after: pd.Series, month: int) -> PairedStatus:
    at = (visits["month"] == month).to_numpy(dtype=bool)
    known = at & (before.notna() & after.notna()).to_numpy(dtype=bool)
    n = visits["n"].to_numpy()[known]
    b0, a0 = before[known].to_numpy(dtype=bool), after[known].to_numpy(dtype=bool)
    paired, positive = int(n.sum()), int(n[b0].sum())
    resolved, appeared = int(n[b0 & ~a0].sum()), int(n[~b0 & a0].sum())
    return PairedStatus(
        month=month, paired=paired, positive_m0=positive, positive_mk=int(n[a0].sum()),
        resolved=estimate_proportion(resolved, positive),
        appeared=estimate_proportion(appeared, paired - positive),
        test=mcnemar(resolved, appeared),
    )


def biology(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Biology:
    """IFN signature, anti-dsDNA and complement of the analysed patients.

    Statuses and shifts are counted in SQL (``core.queries``: ``shift_sql``,
    ``anti_dsdna_elevated_sql``, ``complement_activated_sql``), per month and
    combination of statuses; the counts below add those up.

    Reference: cohort-format.md, "Derived definitions" (shift, anti-dsDNA elevated,
    complement activation); McNemar Q. Psychometrika 1947;12:153-157 (paired status).
    """
    flt = resolve_filter(cohort, filter)
    months = report_months(cohort, settings)
    con = cohort.con
    counted = queries.biology_visits_query(con, flt, settings, (settings.baseline_month, *months))
    at_m0 = counted["month"] == settings.baseline_month
    visits = counted[~at_m0].reset_index(drop=True)
    base = _status_at_m0(counted[at_m0], queries.analysed_count_query(con, flt, settings))

    def fetch(name: str) -> Callable[..., pd.DataFrame]:
        return lambda at=months: _pairs(queries.biology_pairs_query(con, flt, settings, at, name), name)

    def medians(name: str) -> Callable[[int], pd.DataFrame]:
        return lambda month: queries.biology_paired_medians_query(con, flt, settings, month, name)

    markers = {name: _marker(name, base, visits, months, settings, fetch(name), medians(name))
               for name in queries.BIOLOGY_MARKERS}
    N = int(base["patients"])
    return Biology(N, months, markers["ifn"], markers["anti_dsdna"], markers["complement"],
                   small_n_notes(N, settings))


def _pairs(rows: pd.DataFrame, name: str) -> pd.DataFrame:
    """``Marker.pairs`` from ``queries.biology_pairs_query`` rows."""
    out = rows.astype({"patient_id": "string", "month": int, "seen": bool, "status_m0": "boolean",
                       "status": "boolean", "shift": "string"})
    if name == "complement":
        return out.assign(value_m0=pd.NA, value=pd.NA).astype({"value_m0": object, "value": object})
    return out.astype({"value_m0": float, "value": float})
