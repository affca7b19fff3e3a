"""Corticosteroids: doses and prednisone equivalents per visit, unknown drugs, per-patient doses."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.queries.derived import visit_rules_table
from core.queries.rules import unknown_drug_dose_sql
from core.queries.scope import at_months, holds_lock, scoped, scoped_arrays, scoped_sql


@holds_lock
def steroid_values_query(con, flt, settings, months) -> dict[str, np.ndarray]:
    """The visits of analysed patients at ``months``, by month then patient, as arrays:
    month, _pid, recorded_mg and recorded_m0_mg (as recorded), dose_mg and dose_m0_mg
    (prednisone equivalents), unknown_drug and unknown_drug_m0 (``visit_rules_table``). A
    patient without a visit at a month has no dose there and is in no row."""
    table = visit_rules_table(con, settings)
    at, params = at_months(months, "r.month")
    return scoped_arrays(con, flt, settings, f"""
        SELECT r.month, r._pid, r.recorded_mg, r.recorded_m0_mg, r.dose_mg, r.dose_m0_mg, r.unknown_drug,
               r.unknown_drug_m0
        FROM {table} r JOIN analysed p ON p._pid = r._pid
        WHERE {at} ORDER BY r.month, r._pid""", params)


@holds_lock
def steroid_unknown_drugs_query(con, flt, settings, months) -> list[str]:
    """The ``cs_drug`` cells, as written, of the doses left out as unknown drugs
    (``unknown_drug`` of ``visit_rules_table``, which leaves the names to the visits)."""
    at, params = at_months(months, "v.month")
    sql, params = scoped_sql(con, flt, settings, f"""
        SELECT DISTINCT v.cs_drug FROM _visits v JOIN analysed p ON p._pid = v._pid
        WHERE {at} AND {unknown_drug_dose_sql("v.cs_dose_mg", "v._cs_factor")} ORDER BY v.cs_drug""", params)
    return [r[0] for r in con.execute(sql, params).fetchall()]


@holds_lock
def steroid_doses_query(con, flt, settings, months) -> pd.DataFrame:
    """Analysed patients x ``months``: patient_id, month, seen, dose_mg, dose_m0_mg,
    recorded_mg, recorded_m0_mg, unknown_drug, unknown_drug_m0 (the baseline values
    also where the patient was not seen), by patient_id and month."""
    table = visit_rules_table(con, settings)
    return scoped(con, flt, settings, f"""
        , months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month)
        SELECT p.patient_id, m.month, r._pid IS NOT NULL AS seen, r.dose_mg, r0.dose_mg AS dose_m0_mg,
               r.recorded_mg, r0.recorded_mg AS recorded_m0_mg, coalesce(r.unknown_drug, FALSE) AS unknown_drug,
               coalesce(r0.unknown_drug, FALSE) AS unknown_drug_m0
        FROM analysed p CROSS JOIN months m
        LEFT JOIN {table} r ON r._pid = p._pid AND r.month = m.month
        LEFT JOIN {table} r0 ON r0._pid = p._pid AND r0.month = $baseline
        ORDER BY p._pid, m.month""", {"months": [int(m) for m in months]})
