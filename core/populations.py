"""Populations and patient flow: treated (safety), analysed (efficacy), exclusions,
follow-up per visit month, and the baseline table of the analysed patients."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import queries
from core.baseline import BaselineTable, baseline_table
from core.filters import Filter, resolve_filter
from core.scoring import prednisone_equivalent, unknown_drugs
from core.settings import Settings
from core.stats import NOTE_NO_DATA, NOTE_SMALL_N

# Exclusion reasons: code -> English text (the pages translate the code).
REASONS = {
    "age_under_min": "age under {min_age:g}",
    "criteria_not_met": "ACR/EULAR 2019 criteria not met",
    "no_involvement": "neither cutaneous nor articular involvement recorded at M0",
}
FLAGS = {
    "age_missing": "age missing: kept in the analysed population",
    "criteria_missing": "ACR/EULAR 2019 criteria missing: kept in the analysed population",
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
    seen = queries.followup_query(cohort.con, None, settings)["month"].astype(int)
    return tuple(sorted({*(m for m in seen if m > settings.baseline_month), *settings.poster_months}))


@dataclass(frozen=True, eq=False)
class Populations:
    """Patient flow of the (sub)cohort.

    ``exclusions``: one row per treated patient left out of the analysed population,
    sorted by patient_id: patient_id, reasons (codes of REASONS joined by a space),
    reason (English text, reasons joined by "; "). ``flags``: one row per patient and
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


def populations(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Populations:
    """Treated and analysed populations, exclusions with reasons, follow-up per month.

    Reference: cohort-format.md, "Derived definitions" (analysed population).
    """
    flt = resolve_filter(cohort, filter)
    frame = queries.population_query(cohort.con, flt, settings)
    exclusions = _exclusions(frame[frame["excluded"]], settings)
    flags = _flags(frame)
    counts = queries.followup_query(cohort.con, flt, settings)
    by_month = dict(zip(counts["month"].astype(int), counts["patients"].astype(int)))
    months = report_months(cohort, settings)
    followup = {m: by_month.get(m, 0) for m in (settings.baseline_month, *months)}
    treated, analysed = len(frame), int((~frame["excluded"]).sum())
    flow = pd.DataFrame(
        {
            "step": ["treated", "analysed", *(["visit"] * len(followup))],
            "month": [pd.NA, pd.NA, *followup.keys()],
            "patients": [treated, analysed, *followup.values()],
        }
    ).astype({"month": "Int64"})
    return Populations(treated, analysed, exclusions, flags, followup, months, flow,
                       small_n_notes(analysed, settings))


def _exclusions(excluded: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    # Codes and wording are accumulated column by column, one pass per reason.
    codes = pd.Series("", index=excluded.index, dtype="string")
    texts = codes.copy()
    for code, wording in REASONS.items():
        hit = excluded[code].astype(bool)
        codes = codes.mask(hit, codes + code + " ")
        texts = texts.mask(hit, texts + wording.format(min_age=settings.min_age) + "; ")
    frame = pd.DataFrame({"patient_id": excluded["patient_id"].astype("string"),
                          "reasons": codes.str.rstrip(" "), "reason": texts.str.removesuffix("; ")})
    return frame.sort_values("patient_id", ignore_index=True)


def _flags(frame: pd.DataFrame) -> pd.DataFrame:
    missing = {"age_missing": frame["age"].isna(), "criteria_missing": frame["acr_eular_2019"].isna()}
    parts = [pd.DataFrame({"patient_id": frame.loc[mask, "patient_id"].astype("string"), "code": code,
                           "message": FLAGS[code]}) for code, mask in missing.items()]
    flags = pd.concat(parts, ignore_index=True).astype({"code": "string", "message": "string"})
    return flags.sort_values(["patient_id", "code"], ignore_index=True)


@dataclass(frozen=True, eq=False)
class Baseline:
    """Table 1 of the analysed patients, the frame it was computed from, and notes
    (e.g. a corticosteroid drug with no known prednisone equivalent)."""

    table: BaselineTable
    frame: pd.DataFrame
    N: int
    notes: tuple[str, ...]


def baseline(cohort, filter: Filter | None = None, settings: Settings = Settings(),
             group: str | None = None) -> Baseline:
    """Baseline characteristics (M0) of the analysed patients, optionally by ``group``
    (a column of the frame: centre, sex or an extra column). The M0 dose is converted
    to prednisone equivalents.

    Reference: Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (dose equivalents).
    """
    flt = resolve_filter(cohort, filter)
    extras = cohort.extra_columns.get("patients", ())
    frame = queries.baseline_query(cohort.con, flt, settings, extras)
    notes = list(small_n_notes(len(frame), settings))
    dose_known = frame["cs_dose_mg_m0"].notna()
    unknown = unknown_drugs(frame.loc[dose_known & (frame["cs_dose_mg_m0"] > 0), "cs_drug_m0"])
    if unknown:
        notes.append("unknown corticosteroid drug, dose left unknown: " + ", ".join(unknown))
    frame = frame.assign(cs_dose_mg_m0=prednisone_equivalent(frame["cs_dose_mg_m0"], frame["cs_drug_m0"]))
    frame = frame.drop(columns="cs_drug_m0")
    return Baseline(baseline_table(frame, group=group), frame, len(frame), tuple(notes))
