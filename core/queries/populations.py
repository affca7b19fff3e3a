"""Populations and Table 1: counts, exclusions and flags, follow-up, the baseline values."""
from __future__ import annotations

import pandas as pd

from core.queries.rules import prednisone_equivalent_sql, unknown_drug_dose_sql
from core.queries.scope import checked_column, holds_lock, scoped, scoped_nullable, scoped_sql

_EXCLUSION_REASONS = ("age_under_min", "criteria_not_met", "no_involvement")


@holds_lock
def population_counts_query(con, flt, settings) -> pd.DataFrame:
    """One row: treated (the subgroup) and analysed patients."""
    return scoped(con, flt, settings, """
        SELECT (SELECT count(*) FROM pop) AS treated, (SELECT count(*) FROM analysed) AS analysed""")


@holds_lock
def analysed_count_query(con, flt, settings) -> int:
    """The analysed patients of the subgroup."""
    return int(population_counts_query(con, flt, settings).loc[0, "analysed"])


@holds_lock
def exclusions_query(con, flt, settings, wording: dict[str, str]) -> pd.DataFrame:
    """Treated patients left out of the analysed population: patient_id, reasons (codes
    joined by a space), reason (``wording`` of each code joined by "; "), by patient_id.

    Reference: cohort-format.md, "Derived definitions" (analysed population).
    """
    params = {f"code{k}": code for k, code in enumerate(_EXCLUSION_REASONS)}
    params |= {f"text{k}": wording[code] for k, code in enumerate(_EXCLUSION_REASONS)}
    codes = ", ".join(f"CASE WHEN {code} THEN $code{k} END" for k, code in enumerate(_EXCLUSION_REASONS))
    texts = ", ".join(f"CASE WHEN {code} THEN $text{k} END" for k, code in enumerate(_EXCLUSION_REASONS))
    return scoped_nullable(con, flt, settings, f"""
        SELECT patient_id, concat_ws(' ', {codes}) AS reasons, concat_ws('; ', {texts}) AS reason
        FROM pop WHERE {' OR '.join(_EXCLUSION_REASONS)}
        ORDER BY _pid""", params)


@holds_lock
def population_flags_query(con, flt, settings) -> pd.DataFrame:
    """(patient_id, code) for each treated patient and missing inclusion value, by
    patient_id then code: age_missing, criteria_missing, and involvement_missing
    (neither involvement recorded true and one unknown: it may be true).

    Reference: cohort-format.md, "Derived definitions" (a missing value is not a reason).
    """
    return scoped_nullable(con, flt, settings, """
        , flagged AS (
            SELECT _pid, patient_id, 'age_missing' AS code FROM pop WHERE age IS NULL
            UNION ALL SELECT _pid, patient_id, 'criteria_missing' FROM pop WHERE acr_eular_2019 IS NULL
            UNION ALL SELECT _pid, patient_id, 'involvement_missing' FROM pop
            WHERE NOT (coalesce(cutaneous, FALSE) OR coalesce(articular, FALSE))
              AND (cutaneous IS NULL OR articular IS NULL)
        )
        SELECT patient_id, code FROM flagged ORDER BY _pid, code""")


@holds_lock
def visit_months_query(con, settings) -> list[int]:
    """The months at which some analysed patient of the whole cohort has a visit row."""
    sql, params = scoped_sql(con, None, settings, """
        SELECT DISTINCT v.month FROM _visits v JOIN analysed a ON a._pid = v._pid ORDER BY v.month""", None)
    return [int(r[0]) for r in con.execute(sql, params).fetchall()]


@holds_lock
def followup_query(con, flt, settings) -> pd.DataFrame:
    """Analysed patients with a visit row, per visit month."""
    return scoped(con, flt, settings, """
        SELECT v.month, count(DISTINCT v._pid) AS patients
        FROM _visits v JOIN analysed a ON a._pid = v._pid
        GROUP BY v.month ORDER BY v.month""")


@holds_lock
def baseline_query(con, flt, settings, extras: tuple[str, ...]) -> pd.DataFrame:
    """One row per analysed patient by patient_id: patient columns, M0 visit values (the
    dose as recorded and as prednisone equivalent, and whether its drug is unknown),
    then the extra patient columns."""
    extra_sql = "".join(f", p.{checked_column(con, 'patients', c)}" for c in extras)
    return scoped(con, flt, settings, f"""
        SELECT p.patient_id, p.centre, p.sex, p.age, p.disease_duration_years, p.prior_lines,
               p.cutaneous, p.articular, v0.ifn_signature AS ifn_signature_m0,
               v0.cs_dose_mg AS cs_dose_mg_m0, v0.cs_drug AS cs_drug_m0, v0.hcq AS hcq_m0,
               {prednisone_equivalent_sql("v0.cs_dose_mg", "v0._cs_factor")} AS cs_dose_equiv_m0,
               {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} AS unknown_drug_m0{extra_sql}
        FROM analysed p
        LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        ORDER BY p._pid""")


@holds_lock
def baseline_values_query(con, flt, settings, group: str | None = None) -> pd.DataFrame:
    """The columns Table 1 reads, one row per analysed patient by patient_id: sex, age,
    disease_duration_years, prior_lines, cutaneous, articular, ifn_signature_m0,
    cs_dose_mg_m0, cs_dose_equiv_m0, hcq_m0, unknown_drug_m0, and the patient column
    ``group`` when given. Read through Arrow: no Python object per text cell."""
    grouped = "" if group in (None, "sex") else f", p.{checked_column(con, 'patients', group)}"
    return scoped_nullable(con, flt, settings, f"""
        SELECT p.sex, p.age, p.disease_duration_years, p.prior_lines, p.cutaneous, p.articular,
               v0.ifn_signature AS ifn_signature_m0, v0.cs_dose_mg AS cs_dose_mg_m0,
               {prednisone_equivalent_sql("v0.cs_dose_mg", "v0._cs_factor")} AS cs_dose_equiv_m0,
               v0.hcq AS hcq_m0, {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} AS unknown_drug_m0{grouped}
        FROM analysed p
        LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        ORDER BY p._pid""")


@holds_lock
def baseline_unknown_drugs_query(con, flt, settings) -> list[str]:
    """The M0 ``cs_drug`` cells, as written, of the doses left out as unknown drugs."""
    sql, params = scoped_sql(con, flt, settings, f"""
        SELECT DISTINCT v0.cs_drug FROM analysed p
        JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        WHERE {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} ORDER BY v0.cs_drug""", None)
    return [r[0] for r in con.execute(sql, params).fetchall()]
