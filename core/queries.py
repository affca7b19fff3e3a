"""Every SQL query of the analysis, one function per panel query.

Each query starts from the same scope: ``sel`` (the patients of the subgroup filter,
which is the safety population), ``pop`` (their exclusion flags) and ``analysed``
(the efficacy population). Values are bound parameters; identifiers come from the
schema or are checked against the table's actual columns, and are quoted by
``schema.quote_identifier``. Results are small aggregated or patient-level frames,
always in a stated order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from core.schema import COLUMNS, quote_identifier

if TYPE_CHECKING:
    from core.filters import Band, Filter
    from core.settings import Settings

_Q = quote_identifier

_SCOPE = """
sel AS (
    SELECT p.patient_id FROM patients p
    LEFT JOIN visits v0 ON v0.patient_id = p.patient_id AND v0.month = $baseline
    WHERE {where}
),
pop AS (
    SELECT p.patient_id, p.age, p.acr_eular_2019, p.cutaneous, p.articular,
           coalesce(p.age < $min_age, FALSE) AS age_under_min,
           coalesce(NOT p.acr_eular_2019, FALSE) AS criteria_not_met,
           -- Only both involvements recorded false exclude; a missing one is not a reason.
           coalesce(NOT p.cutaneous AND NOT p.articular, FALSE) AS no_involvement
    FROM patients p SEMI JOIN sel ON sel.patient_id = p.patient_id
),
analysed AS (
    SELECT patient_id FROM pop WHERE NOT (age_under_min OR criteria_not_met OR no_involvement)
)
"""


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


def _checked(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    """The quoted identifier of ``column`` after checking the table really has it."""
    if column not in _table_columns(con, table):
        raise ValueError(f"{table} has no column {column!r}")
    return _Q(column)


def _band_sql(column: str, band: Band | None, name: str, params: dict) -> list[str]:
    if band is None:
        return []
    conds = []
    if band.low is not None:
        params[f"{name}_low"] = band.low
        conds.append(f"{column} {'>=' if band.low_inclusive else '>'} ${name}_low")
    if band.high is not None:
        params[f"{name}_high"] = band.high
        conds.append(f"{column} {'<=' if band.high_inclusive else '<'} ${name}_high")
    return conds


def _filter_sql(con: duckdb.DuckDBPyConnection, flt: Filter | None, params: dict) -> str:
    """The WHERE clause of the subgroup over ``patients p`` and its M0 visit ``v0``."""
    if flt is None:
        return "TRUE"
    conds = ["TRUE"]
    for name, column in (("centre", "p.centre"), ("sex", "p.sex"), ("ifn", "v0.ifn_signature")):
        values = getattr(flt, name)
        if values:
            params[f"f_{name}"] = list(values)
            conds.append(f"list_contains($f_{name}, {column})")
    conds += _band_sql("p.age", flt.age, "f_age", params)
    conds += _band_sql("p.prior_lines", flt.prior_lines, "f_lines", params)
    for name, column in (("hcq", "v0.hcq"), ("cutaneous", "p.cutaneous"), ("articular", "p.articular")):
        value = getattr(flt, name)
        if value is not None:
            params[f"f_{name}"] = value
            conds.append(f"{column} = $f_{name}")
    if flt.corticosteroids is not None:
        conds.append("v0.cs_dose_mg > 0" if flt.corticosteroids else "v0.cs_dose_mg = 0")
    for k, (column, values) in enumerate(flt.extra):
        params[f"f_extra{k}"] = list(values)
        conds.append(f"list_contains($f_extra{k}, p.{_checked(con, 'patients', column)})")
    return " AND ".join(conds)


def _scoped(con, flt, settings: Settings, body: str, params: dict | None = None) -> pd.DataFrame:
    """Run ``body`` (a SELECT that may use sel, pop, analysed) within the scope CTEs."""
    params = {"baseline": settings.baseline_month, "min_age": settings.min_age, **(params or {})}
    where = _filter_sql(con, flt, params)
    return _run(con, "WITH " + _SCOPE.format(where=where) + body, params)


def population_query(con, flt, settings) -> pd.DataFrame:
    """One row per treated patient of the subgroup with the exclusion flags."""
    return _scoped(con, flt, settings, """
        SELECT patient_id, age, acr_eular_2019, cutaneous, articular,
               age_under_min, criteria_not_met, no_involvement,
               (age_under_min OR criteria_not_met OR no_involvement) AS excluded
        FROM pop ORDER BY patient_id""")


def followup_query(con, flt, settings) -> pd.DataFrame:
    """Analysed patients with a visit row, per visit month."""
    return _scoped(con, flt, settings, """
        SELECT v.month, count(DISTINCT v.patient_id) AS patients
        FROM visits v SEMI JOIN analysed a ON a.patient_id = v.patient_id
        GROUP BY v.month ORDER BY v.month""")


def baseline_query(con, flt, settings, extras: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per analysed patient: patient columns, M0 visit values, extra columns."""
    extra_sql = "".join(f", p.{_checked(con, 'patients', c)}" for c in extras)
    return _scoped(con, flt, settings, f"""
        SELECT p.patient_id, p.centre, p.sex, p.age, p.disease_duration_years, p.prior_lines,
               p.cutaneous, p.articular, v0.ifn_signature AS ifn_signature_m0,
               v0.cs_dose_mg AS cs_dose_mg_m0, v0.cs_drug AS cs_drug_m0, v0.hcq AS hcq_m0{extra_sql}
        FROM patients p SEMI JOIN analysed a ON a.patient_id = p.patient_id
        LEFT JOIN visits v0 ON v0.patient_id = p.patient_id AND v0.month = $baseline
        ORDER BY p.patient_id""")


def _paired_visits(con, flt, settings, columns: tuple[str, ...], months, with_baseline: tuple[str, ...]):
    """Analysed patients x ``months``: the Mk values of ``columns``, the M0 values of
    ``with_baseline`` (suffixed ``_m0``), the M0 involvement and ``seen`` (a visit row at Mk)."""
    valid = COLUMNS["visits"]
    for name in (*columns, *with_baseline):
        if name not in valid:
            raise ValueError(f"visits has no canonical column {name!r}")
    mk = "".join(f", v.{_Q(c)}" for c in columns)
    m0 = "".join(f", v0.{_Q(c)} AS {_Q(c + '_m0')}" for c in with_baseline)
    return _scoped(con, flt, settings, f"""
        , months AS (SELECT CAST(m AS BIGINT) AS month FROM unnest($months) t(m))
        SELECT a.patient_id, m.month, p.cutaneous, p.articular,
               v.patient_id IS NOT NULL AS seen{mk}{m0}
        FROM analysed a CROSS JOIN months m
        JOIN patients p ON p.patient_id = a.patient_id
        LEFT JOIN visits v ON v.patient_id = a.patient_id AND v.month = m.month
        LEFT JOIN visits v0 ON v0.patient_id = a.patient_id AND v0.month = $baseline
        ORDER BY a.patient_id, m.month""", {"months": [int(m) for m in months]})


_RESPONSE_COLUMNS = ("cutaneous_response", "articular_response", "active_skin_lesions", "new_skin_lesions",
                     "painful_joints", "swollen_joints", "new_painful_joints", "joint_flares")


def response_query(con, flt, settings, months) -> pd.DataFrame:
    """Analysed patients x follow-up months: recorded responses and raw components at
    Mk, the components at M0 (``*_m0``) and the M0 involvement."""
    return _paired_visits(con, flt, settings, _RESPONSE_COLUMNS, months,
                          ("active_skin_lesions", "painful_joints", "swollen_joints", "joint_flares"))


_LAB_COLUMNS = ("ifn_signature", "ifn_score", "anti_dsdna", "anti_dsdna_elevated", "c3", "c4", "complement_low")


def biology_query(con, flt, settings, months) -> pd.DataFrame:
    """Analysed patients x months: lab values at Mk and at M0 (``*_m0``)."""
    return _paired_visits(con, flt, settings, _LAB_COLUMNS, months, _LAB_COLUMNS)


def steroid_query(con, flt, settings, months) -> pd.DataFrame:
    """Analysed patients x months: corticosteroid dose and drug at Mk and at M0."""
    return _paired_visits(con, flt, settings, ("cs_dose_mg", "cs_drug"), months, ("cs_dose_mg", "cs_drug"))


def safety_patients_query(con, flt, settings) -> pd.DataFrame:
    """One row per treated patient: follow-up (months, the later of the last visit and
    the last event) and whether they had any infection, a severe one, or VZV."""
    return _scoped(con, flt, settings, """
        , last_visit AS (SELECT patient_id, max(month) AS last_visit_month FROM visits GROUP BY patient_id),
        ev AS (
            SELECT patient_id, max(month) AS last_event_month,
                   count(*) FILTER (WHERE type = 'infection') AS infection_events,
                   coalesce(bool_or(type = 'infection'), FALSE) AS any_infection,
                   coalesce(bool_or(type = 'infection' AND severe), FALSE) AS severe_infection,
                   coalesce(bool_or(vzv), FALSE) AS vzv
            FROM events GROUP BY patient_id
        )
        SELECT s.patient_id, lv.last_visit_month, ev.last_event_month,
               coalesce(greatest(CAST(lv.last_visit_month AS DOUBLE), ev.last_event_month), 0.0) AS followup_months,
               coalesce(ev.infection_events, 0) AS infection_events,
               coalesce(ev.any_infection, FALSE) AS any_infection,
               coalesce(ev.severe_infection, FALSE) AS severe_infection,
               coalesce(ev.vzv, FALSE) AS vzv
        FROM sel s
        LEFT JOIN last_visit lv ON lv.patient_id = s.patient_id
        LEFT JOIN ev ON ev.patient_id = s.patient_id
        ORDER BY s.patient_id""")


def events_query(con, flt, settings) -> pd.DataFrame:
    """Every event of the treated patients of the subgroup."""
    return _scoped(con, flt, settings, """
        SELECT e.patient_id, e.month, e.type, e.description, e.severe, e.vzv
        FROM events e SEMI JOIN sel s ON s.patient_id = e.patient_id
        ORDER BY e.month, e.patient_id, e.type, e.description""")


def events_by_type_query(con, flt, settings) -> pd.DataFrame:
    """Events and distinct patients per event type among the treated patients."""
    return _scoped(con, flt, settings, """
        SELECT e.type, count(*) AS events, count(DISTINCT e.patient_id) AS patients
        FROM events e SEMI JOIN sel s ON s.patient_id = e.patient_id
        GROUP BY e.type ORDER BY e.type""")


def distinct_values_query(con, table: str, column: str) -> list[str]:
    """The distinct non-missing values of ``table.column``, sorted."""
    ident = _checked(con, table, column)
    rows = con.execute(
        f"SELECT DISTINCT CAST({ident} AS VARCHAR) AS v FROM {_Q(table)} WHERE {ident} IS NOT NULL ORDER BY v"
    ).fetchall()
    return [r[0] for r in rows]


def numeric_ranges_query(con) -> pd.DataFrame:
    """Minimum and maximum age and prior lines over all patients."""
    return _run(con, """
        SELECT min(age) AS age_min, max(age) AS age_max,
               min(prior_lines) AS lines_min, max(prior_lines) AS lines_max
        FROM patients""", {})


def extra_levels_query(con, extras: tuple[str, ...], max_levels: int, min_levels: int = 1,
                       min_patients: int = 1) -> pd.DataFrame:
    """(column, value) for each extra patient column with ``min_levels``..``max_levels``
    distinct non-blank values, each held by at least ``min_patients`` patients, ordered
    by column position then value."""
    params = {"max_levels": max_levels, "min_levels": min_levels, "min_patients": min_patients}
    levels = _extra_levels_sql(con, extras, params)
    if levels is None:
        return pd.DataFrame({"column": pd.Series([], dtype="string"), "value": pd.Series([], dtype="string")})
    return _run(con, f"""
        WITH {levels},
        usable AS (SELECT "column" FROM levels GROUP BY "column"
                   HAVING count(*) BETWEEN $min_levels AND $max_levels AND min(patients) >= $min_patients)
        SELECT l."column", l.value FROM levels l SEMI JOIN usable u ON u."column" = l."column"
        ORDER BY l.position, l.value""", params)


def extra_level_counts_query(con, extras: tuple[str, ...]) -> pd.DataFrame:
    """(column, levels, min_patients) for each extra patient column: its number of
    distinct non-blank values and the fewest patients holding one of them (0 levels and
    a null minimum for a blank column), in the order of ``extras``."""
    params: dict = {}
    levels = _extra_levels_sql(con, extras, params)
    if levels is None:
        return pd.DataFrame({"column": pd.Series([], dtype="string"), "levels": pd.Series([], dtype="int64"),
                             "min_patients": pd.Series([], dtype="Int64")})
    names = ", ".join(f"($name{k}, {k})" for k in range(len(extras)))
    return _run(con, f"""
        WITH {levels},
        asked("column", position) AS (VALUES {names})
        SELECT a."column", count(l.value) AS levels, min(l.patients) AS min_patients
        FROM asked a LEFT JOIN levels l ON l."column" = a."column"
        GROUP BY a."column", a.position ORDER BY a.position""", params)


def _extra_levels_sql(con, extras: tuple[str, ...], params: dict) -> str | None:
    """The CTE ``levels`` (column, position, value, patients): each non-blank value of each
    extra patient column (as text) and how many patients hold it; None without extras.
    Column names go to ``params`` as ``name<k>``."""
    parts = []
    for k, column in enumerate(extras):
        ident = _checked(con, "patients", column)
        params[f"name{k}"] = column
        parts.append(f"""SELECT $name{k} AS "column", {k} AS position, CAST({ident} AS VARCHAR) AS value, patient_id
                         FROM patients WHERE nullif(trim(CAST({ident} AS VARCHAR)), '') IS NOT NULL""")
    if not parts:
        return None
    return f"""vals AS ({' UNION ALL '.join(parts)}),
        levels AS (SELECT "column", position, value, count(DISTINCT patient_id) AS patients
                   FROM vals GROUP BY "column", position, value)"""
