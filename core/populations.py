"""Populations and patient flow: treated (safety), analysed (efficacy), exclusions,
follow-up per visit month, and the baseline table of the analysed patients."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core import queries
from core.baseline import BaselineTable, baseline_table
from core.cached import cached_property
from core.filters import Filter, resolve_filter
from core.scoring import NOTE_UNKNOWN_DRUG, unknown_drugs
from core.settings import Settings
from core.stats import NOTE_NO_DATA, NOTE_SMALL_N

# Exclusion reasons: code -> English text (the pages translate the code).
REASONS = {
    "age_under_min": "age under {min_age:g}",
    "criteria_not_met": "ACR/EULAR 2019 criteria not met",
    "no_involvement": "no cutaneous and no articular involvement at M0",
}
# Missing inclusion values: the patient stays (a missing value is not a known reason).
FLAGS = {
    "age_missing": "age missing: kept in the analysed population",
    "criteria_missing": "ACR/EULAR 2019 criteria missing: kept in the analysed population",
    "involvement_missing": "cutaneous or articular involvement missing: kept in the analysed population",
}


def small_n_notes(n: int, settings: Settings) -> tuple[str, ...]:
    """The note a result on fewer than ``settings.small_n`` patients carries."""
    if n == 0:
        return (NOTE_NO_DATA, NOTE_SMALL_N)
    return (NOTE_SMALL_N,) if n < settings.small_n else ()


def report_months(cohort, settings: Settings = Settings()) -> tuple[int, ...]:
    """Follow-up months to report: ``settings.response_months`` if set, else every
    visit month after baseline in the cohort plus the poster's months.

    The whole cohort decides (not a subgroup), so subgroups show the same months.
    """
    if settings.response_months:
        return tuple(sorted(settings.response_months))

    def months() -> tuple[int, ...]:
        seen = queries.visit_months_query(cohort.con, settings)
        return tuple(sorted({*(m for m in seen if m > settings.baseline_month), *settings.poster_months}))

    return cohort.remember(("report_months", settings.baseline_month, settings.min_age, settings.poster_months), months)


@dataclass(frozen=True, eq=False)
class Populations:
    """Patient flow of the (sub)cohort.

    ``exclusions``: one row per treated patient left out of the analysed population,
    in natural patient id order (P2 before P10): patient_id, reasons (codes of REASONS
    joined by a space), reason (English text, reasons joined by "; "). ``flags``: one row per patient and
    missing inclusion value, sorted: patient_id, code (of FLAGS), message.
    ``followup`` maps each visit month (baseline and every month in ``months``) to the
    analysed patients with a visit row then. ``flow`` is a tidy frame (step, month,
    patients) for a flow chart: treated, analysed, then one row per visit month.
    """

    treated: int
    analysed: int
    exclusions: pd.DataFrame
    flags: pd.DataFrame
    followup: dict[int, int]
    months: tuple[int, ...]
    flow: pd.DataFrame
    notes: tuple[str, ...]


@dataclass(frozen=True)
class PopulationCounts:
    """The treated (safety) and analysed (efficacy) patients of a (sub)cohort: the two
    numbers of ``Populations`` that the sidebar shows on every page."""

    treated: int
    analysed: int


def population_counts(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> PopulationCounts:
    """``populations``' treated and analysed counts alone, from the same query: one
    aggregate, without the exclusion and flag lists or the follow-up (a registry's
    subgroup lists thousands of exclusions)."""
    return _counts(cohort, resolve_filter(cohort, filter), settings)


def _counts(cohort, flt: Filter, settings: Settings) -> PopulationCounts:
    """``population_counts`` of a filter already resolved (``resolve_filter``)."""
    counts = queries.population_counts_query(cohort.con, flt, settings)
    return PopulationCounts(int(counts.loc[0, "treated"]), int(counts.loc[0, "analysed"]))


def populations(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Populations:
    """Treated and analysed populations, exclusions with reasons, follow-up per month.

    Excluded only for a known reason: age under ``settings.min_age``, ACR/EULAR 2019
    criteria recorded false, or cutaneous and articular involvement both recorded
    false. A missing age or criterion, or no involvement recorded true with one of the
    two missing, keeps the patient with a flag (``FLAGS``).

    Reference: cohort-format.md, "Derived definitions" (analysed population).
    """
    flt = resolve_filter(cohort, filter)
    counted = _counts(cohort, flt, settings)
    treated, analysed = counted.treated, counted.analysed
    wording = {code: text.format(min_age=settings.min_age) for code, text in REASONS.items()}
    exclusions = queries.exclusions_query(cohort.con, flt, settings, wording).astype("string")
    flags = queries.population_flags_query(cohort.con, flt, settings).astype("string")
    flags["message"] = flags["code"].map(FLAGS).astype("string")
    followed = queries.followup_query(cohort.con, flt, settings)
    by_month = dict(zip(followed["month"].astype(int), followed["patients"].astype(int)))
    months = report_months(cohort, settings)
    followup = {m: by_month.get(m, 0) for m in (settings.baseline_month, *months)}
    flow = pd.DataFrame(
        {
            "step": ["treated", "analysed", *(["visit"] * len(followup))],
            "month": [pd.NA, pd.NA, *followup.keys()],
            "patients": [treated, analysed, *followup.values()],
        }
    ).astype({"month": "Int64"})
    return Populations(treated, analysed, exclusions, flags, followup, months, flow,
                       small_n_notes(analysed, settings))


@dataclass(frozen=True, eq=False)
class Baseline:
    """Table 1 of the analysed patients, the frame it was computed from, and notes
    (fixed codes, e.g. ``NOTE_UNKNOWN_DRUG``). ``unknown_drugs`` names, as the user
    wrote them, the M0 drugs with no known prednisone equivalent; their
    ``unknown_drug_doses`` doses are missing from the dose row (not from "on
    corticosteroids"). ``frame`` (one row per analysed patient, with patient_id and
    the extra columns) is read from the cohort when first asked for (its connection
    must still be open)."""

    table: BaselineTable
    N: int
    notes: tuple[str, ...]
    unknown_drugs: tuple[str, ...] = ()
    unknown_drug_doses: int = 0
    fetch_frame: Callable[[], pd.DataFrame] = field(repr=False, default=lambda: pd.DataFrame())

    @cached_property
    def frame(self) -> pd.DataFrame:
        return self.fetch_frame()


def baseline(cohort, filter: Filter | None = None, settings: Settings = Settings(),
             group: str | None = None) -> Baseline:
    """Baseline characteristics (M0) of the analysed patients, optionally by ``group``
    (a column of the frame: centre, sex or an extra column). On corticosteroids reads
    the recorded M0 dose; the dose row, its prednisone equivalent (``cs_dose_equiv_m0``).
    The table is computed from the columns it needs only (``queries.baseline_values_query``).

    Reference: Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (dose equivalents).
    """
    flt = resolve_filter(cohort, filter)
    con = cohort.con
    extras = cohort.extra_columns.get("patients", ())

    def full_frame() -> pd.DataFrame:
        frame = queries.baseline_query(con, flt, settings, extras)
        columns = [c for c in frame.columns if c not in ("cs_drug_m0", "unknown_drug_m0", "cs_dose_equiv_m0")]
        return frame[[*columns, "cs_dose_equiv_m0"]]

    patient_column = group is None or group in ("centre", "sex") or group in extras
    values = queries.baseline_values_query(con, flt, settings, group) if patient_column else full_frame()
    notes = small_n_notes(len(values), settings)
    left_out = int(values["unknown_drug_m0"].sum()) if "unknown_drug_m0" in values else 0
    unknown = unknown_drugs(pd.Series(queries.baseline_unknown_drugs_query(con, flt, settings), dtype="string")
                            ) if left_out else ()
    if unknown:
        notes += (NOTE_UNKNOWN_DRUG,)
    return Baseline(baseline_table(values, group=group), len(values), notes, unknown, left_out,
                    fetch_frame=full_frame)
