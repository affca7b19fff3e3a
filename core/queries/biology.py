"""Biology: marker statuses and shifts per visit, counted; per-patient pairs for charts."""
from __future__ import annotations

import pandas as pd

from core.queries.derived import BIOLOGY_MARKERS, MARKER_RULES, SHIFT_AMONG_POSITIVE, visit_rules_table
from core.queries.scope import at_months, holds_lock, scoped


@holds_lock
def biology_visits_query(con, flt, settings, months) -> pd.DataFrame:
    """Visits of analysed patients at ``months`` (baseline first), counted (``n``) per
    month and, for each marker, status at M0 (``<marker>_m0``), status at the month
    (``_mk``) and shift (``_shift``, none for complement). Patients without a visit at a
    month are in no row: at that month they have no status and an unknown shift."""
    table = visit_rules_table(con, settings)
    at, params = at_months(months, "r.month")
    keys = ["month"] + [f"{name}_{part}" for name in BIOLOGY_MARKERS for part in ("m0", "mk", "shift")
                        if not (name == "complement" and part == "shift")]
    return scoped(con, flt, settings, f"""
        SELECT {", ".join("r." + k for k in keys)}, count(*) AS n
        FROM {table} r JOIN analysed p ON p._pid = r._pid
        WHERE {at} GROUP BY ALL ORDER BY ALL""", params)


# The follow-up months of the pairs (``$months``), a CTE after the scope's.
_MONTHS = ", months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month)"


@holds_lock
def biology_pairs_query(con, flt, settings, months, marker: str) -> pd.DataFrame:
    """Analysed patients x follow-up ``months`` for ``marker``: patient_id, month, seen,
    value_m0, value, status_m0, status, shift (complement: c3_m0, c4_m0, c3, c4 too and
    no value), by patient_id and month (``visit_rules_table``)."""
    return scoped(con, flt, settings, f"{_MONTHS} {_pairs_sql(con, settings, marker)} ORDER BY p._pid, m.month",
                  {"months": [int(m) for m in months]})


@holds_lock
def biology_paired_medians_query(con, flt, settings, month: int, marker: str) -> pd.DataFrame:
    """``biology_pairs_query`` at ``month`` summed up per shift, as the paired plot draws
    it over many patients: the pairs with both values known (anti-dsDNA: elevated at
    baseline, as its shifts are counted), per shift (in text order), the median value at
    baseline (value_m0) and at the month (value) and n; no row per patient is read."""
    if marker not in BIOLOGY_MARKERS or MARKER_RULES[marker][1] is None:
        raise ValueError(f"no value to pair for marker {marker!r}")
    positive = "AND coalesce(status_m0, FALSE)" if marker in SHIFT_AMONG_POSITIVE else ""
    return scoped(con, flt, settings, f"""
        {_MONTHS}, pairs AS ({_pairs_sql(con, settings, marker)})
        SELECT shift, median(value_m0) AS value_m0, median(value) AS value, count(*) AS n
        FROM pairs
        WHERE value_m0 IS NOT NULL AND NOT isnan(value_m0) AND value IS NOT NULL AND NOT isnan(value) {positive}
        GROUP BY shift ORDER BY shift""", {"months": [int(month)]})


def _pairs_sql(con, settings, marker: str) -> str:
    """The SELECT of the pairs of ``marker``, without an order, over the scope CTEs and
    ``_MONTHS`` (``$months`` bound)."""
    if marker not in BIOLOGY_MARKERS:
        raise ValueError(f"unknown marker {marker!r}")
    table = visit_rules_table(con, settings)
    value = MARKER_RULES[marker][1]
    values = f"v0.{value} AS value_m0, v.{value} AS value" if value else "NULL AS value_m0, NULL AS value"
    extra = ", v0.c3 AS c3_m0, v0.c4 AS c4_m0, v.c3, v.c4" if marker == "complement" else ""
    shift = f"coalesce(r.{marker}_shift, 'unknown')" if value else "'unknown'"  # no value, no shift column
    return f"""
        SELECT p.patient_id, m.month, v._pid IS NOT NULL AS seen, {values}, r0.{marker}_m0 AS status_m0,
               r.{marker}_mk AS status, {shift} AS shift{extra}
        FROM analysed p CROSS JOIN months m
        LEFT JOIN _visits v ON v._pid = p._pid AND v.month = m.month
        LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        LEFT JOIN {table} r ON r._pid = p._pid AND r.month = m.month
        LEFT JOIN {table} r0 ON r0._pid = p._pid AND r0.month = $baseline"""
