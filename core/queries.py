"""Every SQL query of the analysis, one function per panel query, and the clinical
rules the panels apply, written in SQL (each with its reference to the contract).

Each query starts from the same scope: ``pop`` (the patients of the subgroup filter,
which is the safety population, with their exclusion flags), ``sel`` (their ids) and
``analysed`` (the efficacy population). Panels aggregate here and bring back counts,
the values an estimator needs (in patient order, so that sums and tests see them as
before), or the few per-patient rows a chart or a table shows. Tables are joined and
sorted on ``_pid`` (``core.db``). What the rules derive from each visit and its
baseline visit (responses, marker statuses and shifts, prednisone equivalents) does
not depend on the subgroup: each connection derives it once, on first use, into a
table that the panels then join to the subgroup (``_visit_rules``). Values are bound
parameters; identifiers come from the schema or are checked against the table's actual
columns, and are quoted by ``schema.quote_identifier``. Results are always in a stated order.
"""
from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core.schema import quote_identifier

if TYPE_CHECKING:
    from core.filters import Band, Filter
    from core.settings import Settings

_Q = quote_identifier

_EXCLUSIONS = """
           coalesce(p.age < $min_age, FALSE) AS age_under_min,
           coalesce(NOT p.acr_eular_2019, FALSE) AS criteria_not_met,
           -- Only both involvements recorded false exclude; a missing one is not a reason.
           coalesce(NOT p.cutaneous AND NOT p.articular, FALSE) AS no_involvement"""
# The subgroup reads the baseline visit ``v0`` only when the filter does (hcq, IFN or
# corticosteroids at M0); then a patient is kept once even if given two M0 visits.
# ``pop`` and ``analysed`` carry the patient's columns, so that no query joins the
# patients again.
_POP = """
pop AS (
    SELECT p.*,{exclusions}
    FROM _patients p WHERE {where}
),"""
_POP_M0 = """
sel_m0 AS (
    SELECT p._pid FROM _patients p LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
    WHERE {where}
),
pop AS (
    SELECT p.*,{exclusions}
    FROM _patients p SEMI JOIN sel_m0 s ON s._pid = p._pid
),"""
_SCOPE = """
sel AS (SELECT _pid FROM pop),
analysed AS (
    SELECT * FROM pop WHERE NOT (age_under_min OR criteria_not_met OR no_involvement)
)
"""


# Arrow types read as pandas' nullable types: a missing value stays NA, no object column.
_NULLABLE = {pa.bool_(): pd.BooleanDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
             pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _arrays(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> dict[str, np.ndarray]:
    """Each column of the result as a numpy array: numbers as float with NaN for NULL,
    flags as bool with NULL read False."""
    out = {}
    for name, column in con.execute(sql, params).fetchnumpy().items():
        if column.dtype == bool:
            out[name] = np.ma.filled(column, False)
        else:
            out[name] = np.ma.filled(np.ma.asarray(column).astype(float), np.nan)
    return out


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


def _scoped_sql(con, flt, settings: Settings, body: str, params: dict | None) -> tuple[str, dict]:
    params = {"baseline": settings.baseline_month, "min_age": settings.min_age, **(params or {})}
    where = _filter_sql(con, flt, params)
    pop = (_POP_M0 if "v0." in where else _POP).format(where=where, exclusions=_EXCLUSIONS)
    sql = "WITH " + pop + _SCOPE + body
    # DuckDB refuses a parameter the statement does not use (rules bind only their own).
    return sql, {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _scoped(con, flt, settings: Settings, body: str, params: dict | None = None) -> pd.DataFrame:
    """Run ``body`` (a SELECT that may use pop, sel, analysed) within the scope CTEs."""
    return _run(con, *_scoped_sql(con, flt, settings, body, params))


def _scoped_arrays(con, flt, settings: Settings, body: str, params: dict | None = None) -> dict[str, np.ndarray]:
    """``_scoped``, each column as a numpy array (``_arrays``)."""
    return _arrays(con, *_scoped_sql(con, flt, settings, body, params))


def _at_months(months, column: str) -> tuple[str, dict]:
    """``column IN (...)`` over ``months``, and its parameters."""
    params = {f"month{k}": int(m) for k, m in enumerate(months)}
    if not params:
        return "FALSE", params
    return f"{column} IN ({', '.join('$' + k for k in params)})", params


# --- Clinical rules ------------------------------------------------------------------
# Each returns one SQL expression over the column expressions it is given (identifiers
# written in this module, never user text). Parameters ($name) are bound by the query
# that uses the rule (``rule_params``). ``core.scoring`` evaluates the same expressions
# over pandas columns (``evaluate_rule``), so each rule is written once.

# Relative slack on the +-tolerance boundary so that binary rounding (3.3 -> 3.63 is
# 10.000000000000009 %) does not move an exact boundary out of "stable".
BOUNDARY_SLACK = 1e-9


def rule_params(settings: Settings) -> dict:
    """The settings the rules read, as bound parameters."""
    return {"shift_tolerance": float(settings.shift_tolerance), "boundary_slack": 1 + BOUNDARY_SLACK,
            "anti_dsdna_threshold": float(settings.anti_dsdna_threshold),
            "c3_low": float(settings.c3_low), "c4_low": float(settings.c4_low)}


def cutaneous_response_sql(active_m0: str, active_mk: str, new_mk: str) -> str:
    """Cutaneous response at Mk from raw components, against M0: 'CR', 'PR', 'NR' or NULL.

    CR: no active lesion left (count known to be 0) and no new lesion. PR: fewer active
    lesions than at M0 (both known) and no new lesion. NR: a new lesion, or counts known
    at both visits without a decrease. Otherwise unknown (NULL). A blank new-lesion flag
    means none.

    Reference: cohort-format.md, "Derived definitions" (response from raw components).
    """
    new = f"coalesce({new_mk}, FALSE)"
    comparable = f"({active_m0} IS NOT NULL AND {active_mk} IS NOT NULL)"
    return f"""CASE
        WHEN NOT {new} AND {active_mk} = 0 THEN 'CR'
        WHEN NOT {new} AND {comparable} AND {active_mk} < {active_m0} THEN 'PR'
        WHEN {new} OR {comparable} THEN 'NR'
    END"""


def articular_response_sql(painful_m0: str, swollen_m0: str, flares_m0: str, painful_mk: str,
                           swollen_mk: str, new_mk: str, flares_mk: str) -> str:
    """Articular response at Mk from raw components, against M0: 'CR', 'PR', 'NR' or NULL.

    CR: no painful and no swollen joint left (both known to be 0) and no new painful
    joint. PR: not CR, and fewer painful joints, or fewer swollen joints, or fewer
    flares than at M0 (each comparison needs both values). NR: not CR nor PR with at
    least one component known at both visits. Otherwise unknown (NULL). A blank
    new-painful-joint flag means none.

    Reference: cohort-format.md, "Derived definitions" (response from raw components).
    """
    pairs = ((painful_m0, painful_mk), (swollen_m0, swollen_mk), (flares_m0, flares_mk))
    decreased = " OR ".join(f"coalesce({after} < {before}, FALSE)" for before, after in pairs)
    comparable = " OR ".join(f"({before} IS NOT NULL AND {after} IS NOT NULL)" for before, after in pairs)
    return f"""CASE
        WHEN NOT coalesce({new_mk}, FALSE) AND {painful_mk} = 0 AND {swollen_mk} = 0 THEN 'CR'
        WHEN {decreased} THEN 'PR'
        WHEN {comparable} THEN 'NR'
    END"""


def shift_sql(m0: str, mk: str) -> str:
    """Shift of a lab value from M0 to Mk: 'down', 'up', 'stable' or 'unknown'.

    Stable when the relative change against M0 is within +-$shift_tolerance, inclusive
    (with ``BOUNDARY_SLACK``). From an M0 of 0: stable if still 0, else up. Unknown when
    either value is missing.

    Reference: cohort-format.md, "Derived definitions" (shift of a lab value).
    """
    return f"""CASE
        WHEN {m0} = 0 AND {mk} = 0 THEN 'stable'
        WHEN {m0} = 0 AND {mk} IS NOT NULL THEN 'up'
        WHEN abs({mk} - {m0}) <= abs({m0}) * $shift_tolerance * $boundary_slack THEN 'stable'
        WHEN {mk} - {m0} < 0 THEN 'down'
        WHEN {mk} - {m0} > 0 THEN 'up'
        ELSE 'unknown'
    END"""


def anti_dsdna_elevated_sql(elevated: str, value: str) -> str:
    """Anti-dsDNA elevated: the recorded flag if given, else value > $anti_dsdna_threshold
    (IU/mL); NULL when both are missing.

    Reference: cohort-format.md, "Derived definitions" (anti-dsDNA elevated).
    """
    return f"coalesce({elevated}, {value} > $anti_dsdna_threshold)"


def complement_activated_sql(low: str, c3: str, c4: str) -> str:
    """Complement activation: the recorded flag if given, else C3 < $c3_low or
    C4 < $c4_low (g/L): activated when any known value is low, not activated when at
    least one is known and none is low, NULL when both are missing.

    Reference: cohort-format.md, "Derived definitions" (complement activation).
    """
    derived = (f"CASE WHEN {c3} IS NULL AND {c4} IS NULL THEN NULL "
               f"ELSE coalesce({c3} < $c3_low, FALSE) OR coalesce({c4} < $c4_low, FALSE) END")
    return f"coalesce({low}, {derived})"


def ifn_positive_sql(signature: str) -> str:
    """IFN signature positive: TRUE for 'positive', FALSE for 'negative', NULL when missing.

    Reference: cohort-format.md, visits table (``ifn_signature``).
    """
    return f"({signature} = 'positive')"


def prednisone_equivalent_sql(dose: str, factor: str) -> str:
    """Dose in mg/day of prednisone equivalent, ``factor`` being the drug's (``core.db``
    stores it with each visit as ``_cs_factor``: 1 without a drug, NULL for a drug with
    no known equivalent): NULL when the dose is unknown or a dose above 0 names an
    unknown drug; a dose of 0 is 0 whatever the drug.

    Reference: cohort-format.md, visits table (``cs_drug``); Liu D et al. Allergy Asthma
    Clin Immunol 2013;9:30 (Table 1).
    """
    return f"CASE WHEN {dose} = 0 THEN 0.0 ELSE {dose} * {factor} END"


def unknown_drug_dose_sql(dose: str, factor: str) -> str:
    """A dose above 0 of a drug with no known prednisone equivalent: the patient is on
    corticosteroids, but the dose is left out of the equivalent summaries.

    Reference: cohort-format.md, "Derived definitions" (on corticosteroids).
    """
    return f"coalesce({dose} > 0 AND {factor} IS NULL, FALSE)"


def evaluate_rule(expression: str, columns: dict[str, pd.Series], params: dict | None = None) -> pd.Series:
    """``expression`` (a rule above, written over the names of ``columns``) for each row
    of ``columns``, in a throwaway in-memory DuckDB; indexed like the first column."""
    index = next(iter(columns.values())).index
    frame = pd.DataFrame({name: series.reset_index(drop=True) for name, series in columns.items()})
    con = duckdb.connect(":memory:", config={"temp_directory": ""})
    try:
        con.register("rows", frame)
        result = con.execute(f"SELECT {expression} AS value FROM rows", params or {}).df()["value"]
    finally:
        con.close()
    return result.set_axis(index)


# --- Populations ---------------------------------------------------------------------

_EXCLUSION_REASONS = ("age_under_min", "criteria_not_met", "no_involvement")


def population_counts_query(con, flt, settings) -> pd.DataFrame:
    """One row: treated (the subgroup) and analysed patients."""
    return _scoped(con, flt, settings, """
        SELECT (SELECT count(*) FROM pop) AS treated, (SELECT count(*) FROM analysed) AS analysed""")


def analysed_count_query(con, flt, settings) -> int:
    """The analysed patients of the subgroup."""
    return int(population_counts_query(con, flt, settings).loc[0, "analysed"])


def exclusions_query(con, flt, settings, wording: dict[str, str]) -> pd.DataFrame:
    """Treated patients left out of the analysed population: patient_id, reasons (codes
    joined by a space), reason (``wording`` of each code joined by "; "), by patient_id.

    Reference: cohort-format.md, "Derived definitions" (analysed population).
    """
    params = {f"code{k}": code for k, code in enumerate(_EXCLUSION_REASONS)}
    params |= {f"text{k}": wording[code] for k, code in enumerate(_EXCLUSION_REASONS)}
    codes = ", ".join(f"CASE WHEN {code} THEN $code{k} END" for k, code in enumerate(_EXCLUSION_REASONS))
    texts = ", ".join(f"CASE WHEN {code} THEN $text{k} END" for k, code in enumerate(_EXCLUSION_REASONS))
    return _scoped(con, flt, settings, f"""
        SELECT patient_id, concat_ws(' ', {codes}) AS reasons, concat_ws('; ', {texts}) AS reason
        FROM pop WHERE {' OR '.join(_EXCLUSION_REASONS)}
        ORDER BY _pid""", params)


def population_flags_query(con, flt, settings) -> pd.DataFrame:
    """(patient_id, code) for each treated patient and missing inclusion value, by
    patient_id then code: age_missing, criteria_missing, and involvement_missing
    (neither involvement recorded true and one unknown: it may be true).

    Reference: cohort-format.md, "Derived definitions" (a missing value is not a reason).
    """
    return _scoped(con, flt, settings, """
        , flagged AS (
            SELECT _pid, patient_id, 'age_missing' AS code FROM pop WHERE age IS NULL
            UNION ALL SELECT _pid, patient_id, 'criteria_missing' FROM pop WHERE acr_eular_2019 IS NULL
            UNION ALL SELECT _pid, patient_id, 'involvement_missing' FROM pop
            WHERE NOT (coalesce(cutaneous, FALSE) OR coalesce(articular, FALSE))
              AND (cutaneous IS NULL OR articular IS NULL)
        )
        SELECT patient_id, code FROM flagged ORDER BY _pid, code""")


def visit_months_query(con, settings) -> list[int]:
    """The months at which some analysed patient of the whole cohort has a visit row."""
    sql, params = _scoped_sql(con, None, settings, """
        SELECT DISTINCT v.month FROM _visits v JOIN analysed a ON a._pid = v._pid ORDER BY v.month""", None)
    return [int(r[0]) for r in con.execute(sql, params).fetchall()]


def followup_query(con, flt, settings) -> pd.DataFrame:
    """Analysed patients with a visit row, per visit month."""
    return _scoped(con, flt, settings, """
        SELECT v.month, count(DISTINCT v._pid) AS patients
        FROM _visits v JOIN analysed a ON a._pid = v._pid
        GROUP BY v.month ORDER BY v.month""")


def baseline_query(con, flt, settings, extras: tuple[str, ...]) -> pd.DataFrame:
    """One row per analysed patient by patient_id: patient columns, M0 visit values (the
    dose as recorded and as prednisone equivalent, and whether its drug is unknown),
    then the extra patient columns."""
    extra_sql = "".join(f", p.{_checked(con, 'patients', c)}" for c in extras)
    return _scoped(con, flt, settings, f"""
        SELECT p.patient_id, p.centre, p.sex, p.age, p.disease_duration_years, p.prior_lines,
               p.cutaneous, p.articular, v0.ifn_signature AS ifn_signature_m0,
               v0.cs_dose_mg AS cs_dose_mg_m0, v0.cs_drug AS cs_drug_m0, v0.hcq AS hcq_m0,
               {prednisone_equivalent_sql("v0.cs_dose_mg", "v0._cs_factor")} AS cs_dose_equiv_m0,
               {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} AS unknown_drug_m0{extra_sql}
        FROM analysed p
        LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        ORDER BY p._pid""")


def baseline_values_query(con, flt, settings, group: str | None = None) -> pd.DataFrame:
    """The columns Table 1 reads, one row per analysed patient by patient_id: sex, age,
    disease_duration_years, prior_lines, cutaneous, articular, ifn_signature_m0,
    cs_dose_mg_m0, cs_dose_equiv_m0, hcq_m0, unknown_drug_m0, and the patient column
    ``group`` when given. Read through Arrow: no Python object per text cell."""
    grouped = "" if group in (None, "sex") else f", p.{_checked(con, 'patients', group)}"
    sql, params = _scoped_sql(con, flt, settings, f"""
        SELECT p.sex, p.age, p.disease_duration_years, p.prior_lines, p.cutaneous, p.articular,
               v0.ifn_signature AS ifn_signature_m0, v0.cs_dose_mg AS cs_dose_mg_m0,
               {prednisone_equivalent_sql("v0.cs_dose_mg", "v0._cs_factor")} AS cs_dose_equiv_m0,
               v0.hcq AS hcq_m0, {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} AS unknown_drug_m0{grouped}
        FROM analysed p
        LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        ORDER BY p._pid""", None)
    return con.sql(sql, params=params).to_arrow_table().to_pandas(types_mapper=_NULLABLE.get)


def baseline_unknown_drugs_query(con, flt, settings) -> list[str]:
    """The M0 ``cs_drug`` cells, as written, of the doses left out as unknown drugs."""
    sql, params = _scoped_sql(con, flt, settings, f"""
        SELECT DISTINCT v0.cs_drug FROM analysed p
        JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        WHERE {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} ORDER BY v0.cs_drug""", None)
    return [r[0] for r in con.execute(sql, params).fetchall()]


# --- What the rules derive from each visit ------------------------------------------

def _visit_rules(con, settings) -> str:
    """The table of what the rules derive from every visit and its baseline visit, in
    one pass over the visits joined to their baseline visit (_pid, month, then):

    - responses: <domain>_recorded and <domain>_scored from the raw components
      (``cutaneous_response_sql``, ``articular_response_sql``);
    - markers: <marker>_m0 and <marker>_mk, the status at the baseline visit and at
      this one, and <marker>_shift of the value (``_MARKER_RULES``, ``shift_sql``);
    - doses: recorded_mg, dose_mg (prednisone equivalent, ``prednisone_equivalent_sql``),
      unknown_drug (``unknown_drug_dose_sql``), the same at the baseline visit
      (recorded_m0_mg, dose_m0_mg, unknown_drug_m0), and cs_drug as written.

    A cohort never changes: each connection computes the table once per baseline month
    and rule settings, on first use; other settings replace it. Rows are in no stated
    order: every query on it joins, aggregates or sorts.
    """
    params = rule_params(settings)
    key = hashlib.sha256(repr((settings.baseline_month, sorted(params.items()))).encode()).hexdigest()[:16]
    name = f"_visit_rules_{key}"
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE starts_with(table_name, '_visit_rules_')").fetchall()}
    if name in tables:
        return name
    for old in tables:
        con.execute(f"DROP TABLE {_Q(old)}")
    cutaneous = cutaneous_response_sql("v0.active_skin_lesions", "v.active_skin_lesions", "v.new_skin_lesions")
    articular = articular_response_sql("v0.painful_joints", "v0.swollen_joints", "v0.joint_flares",
                                       "v.painful_joints", "v.swollen_joints", "v.new_painful_joints",
                                       "v.joint_flares")
    columns = [f"v.cutaneous_response AS cutaneous_recorded, {cutaneous} AS cutaneous_scored",
               f"v.articular_response AS articular_recorded, {articular} AS articular_scored"]
    for marker, (status, value) in _MARKER_RULES.items():
        columns += [f"{status(lambda c: 'v0.' + c)} AS {marker}_m0", f"{status(lambda c: 'v.' + c)} AS {marker}_mk",
                    f"{shift_sql(f'v0.{value}', f'v.{value}') if value else repr('unknown')} AS {marker}_shift"]
    columns += [f"""v.cs_dose_mg AS recorded_mg, {prednisone_equivalent_sql("v.cs_dose_mg", "v._cs_factor")} AS dose_mg,
               {unknown_drug_dose_sql("v.cs_dose_mg", "v._cs_factor")} AS unknown_drug,
               v0.cs_dose_mg AS recorded_m0_mg,
               {prednisone_equivalent_sql("v0.cs_dose_mg", "v0._cs_factor")} AS dose_m0_mg,
               {unknown_drug_dose_sql("v0.cs_dose_mg", "v0._cs_factor")} AS unknown_drug_m0, v.cs_drug"""]
    con.execute(f"""CREATE TABLE {name} AS
        SELECT v._pid, v.month, {", ".join(columns)}
        FROM _visits v LEFT JOIN _visits v0 ON v0._pid = v._pid AND v0.month = {int(settings.baseline_month)}""",
                params)
    return name


# --- Response ------------------------------------------------------------------------

DOMAINS = ("cutaneous", "articular")


def _scored_visits_sql(con, settings, months, every_month: bool = False) -> tuple[str, dict]:
    """The CTE ``visits`` (``grid`` with ``every_month``: with or without a visit): one
    row per analysed patient involved in a domain at M0 and visit at a month of
    ``months``, with per domain (``cutaneous_*``, ``articular_*``): recorded, scored
    (``_visit_rules``) and response (recorded, else scored), and the involvement
    flags (a domain counts only for patients with it recorded true at M0)."""
    table = _visit_rules(con, settings)
    select = "".join(f""", r.{d}_recorded, r.{d}_scored, coalesce(r.{d}_recorded, r.{d}_scored) AS {d}_response"""
                     for d in DOMAINS)
    if every_month:
        return f"""
        , months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month),
        grid AS (
            SELECT p._pid, m.month, r._pid IS NOT NULL AS seen, p.cutaneous, p.articular{select}
            FROM analysed p CROSS JOIN months m
            LEFT JOIN {table} r ON r._pid = p._pid AND r.month = m.month
            WHERE p.cutaneous OR p.articular
        )""", {"months": [int(m) for m in months]}
    at, params = _at_months(months, "r.month")
    return f"""
        , visits AS (
            SELECT r._pid, r.month, TRUE AS seen, p.cutaneous, p.articular{select}
            FROM {table} r JOIN analysed p ON p._pid = r._pid
            WHERE {at} AND (p.cutaneous OR p.articular)
        )""", params


def involved_query(con, flt, settings) -> pd.DataFrame:
    """One row: analysed patients, and those involved at M0 in each domain."""
    return _scoped(con, flt, settings, """
        SELECT count(*) AS analysed, count(*) FILTER (p.cutaneous) AS cutaneous,
               count(*) FILTER (p.articular) AS articular
        FROM analysed p""")


# A patient's course over the reported months as one number: the k-th month's state is
# its k-th hexadecimal digit (``COURSE_BASE``), 0 without a visit, else
# 1 + 2 x (0 no response, 1 CR, 2 PR, 3 NR) + (1 if scored from components). Summing
# digits per patient is far cheaper than pivoting one column per month.
COURSE_BASE = 16
COURSE_RESPONSES = (None, "CR", "PR", "NR")


def _course_state_sql(domain: str) -> str:
    code = "CASE {0}_response WHEN 'CR' THEN 1 WHEN 'PR' THEN 2 WHEN 'NR' THEN 3 ELSE 0 END".format(domain)
    scored = f"CAST({domain}_recorded IS NULL AND {domain}_scored IS NOT NULL AS BIGINT)"
    return f"(1 + 2 * {code} + {scored})"


def response_courses_query(con, flt, settings, months) -> pd.DataFrame:
    """Involved analysed patients with a visit at some month of ``months``, counted
    (``patients``) per domain and ``course`` (the state at each month, see
    ``COURSE_BASE``). The involved patients with no visit at any of ``months`` are in
    no row."""
    cte, params = _scored_visits_sql(con, settings, months)
    if len(params) > 15:
        raise ValueError("at most 15 reported months fit in a course")
    digit = "CASE month " + " ".join(f"WHEN ${name} THEN {COURSE_BASE ** k}" for k, name in enumerate(params)) + " END"
    sums = ", ".join(f"sum({_course_state_sql(d)} * {digit}) AS {d}_course" for d in DOMAINS)
    return _scoped(con, flt, settings, cte + f""",
        per_patient AS MATERIALIZED (
            SELECT _pid, any_value(cutaneous) AS cutaneous, any_value(articular) AS articular, {sums}
            FROM visits GROUP BY _pid
        )
        {" UNION ALL ".join(f"SELECT '{d}' AS domain, {d}_course AS course, count(*) AS patients "
                            f"FROM per_patient WHERE {d} GROUP BY ALL" for d in DOMAINS)}""", params)


def response_discordant_query(con, flt, settings, months) -> pd.DataFrame:
    """Visits whose recorded response differs from the one scored from components in
    some domain the patient is involved in: patient_id, month, and per domain whether it
    does (``<domain>_differs``), the recorded and the scored response, by patient_id and
    month."""
    table = _visit_rules(con, settings)
    at, params = _at_months(months, "r.month")
    differs = {d: f"coalesce(p.{d} AND r.{d}_recorded <> r.{d}_scored, FALSE)" for d in DOMAINS}
    columns = ", ".join(f"{sql} AS {d}_differs, r.{d}_recorded, r.{d}_scored" for d, sql in differs.items())
    # Visits whose responses differ are few: they are picked before meeting the subgroup.
    return _scoped(con, flt, settings, f"""
        , differing AS (
            SELECT * FROM {table} r
            WHERE {at} AND ({" OR ".join(f"r.{d}_recorded <> r.{d}_scored" for d in DOMAINS)})
        )
        SELECT p.patient_id, r.month, {columns}
        FROM differing r JOIN analysed p ON p._pid = r._pid
        WHERE {" OR ".join(differs.values())}
        ORDER BY r._pid, r.month""", params)


def response_patients_query(con, flt, settings, months) -> pd.DataFrame:
    """Every involved analysed patient x domain x month: patient_id, domain, month, seen,
    recorded, scored, response, by domain, month and patient_id."""
    cte, params = _scored_visits_sql(con, settings, months, every_month=True)
    parts = " UNION ALL ".join(
        f"""SELECT _pid, '{d}' AS domain, month, seen, {d}_recorded AS recorded, {d}_scored AS scored,
                   {d}_response AS response FROM grid WHERE {d}""" for d in DOMAINS)
    return _scoped(con, flt, settings, cte + f"""
        , responses AS ({parts})
        SELECT p.patient_id, r.domain, r.month, r.seen, r.recorded, r.scored, r.response
        FROM responses r JOIN _patients p ON p._pid = r._pid
        ORDER BY r.domain, r.month, r._pid""", params)


# --- Biology -------------------------------------------------------------------------

_MARKER_RULES = {
    # marker: (status at a visit over the columns named "<prefix>column", shifting value or None)
    "ifn": (lambda c: ifn_positive_sql(c("ifn_signature")), "ifn_score"),
    "anti_dsdna": (lambda c: anti_dsdna_elevated_sql(c("anti_dsdna_elevated"), c("anti_dsdna")), "anti_dsdna"),
    "complement": (lambda c: complement_activated_sql(c("complement_low"), c("c3"), c("c4")), None),
}
BIOLOGY_MARKERS = tuple(_MARKER_RULES)
# Markers whose shifts count only the patients positive at M0 (anti-dsDNA: elevated).
SHIFT_AMONG_POSITIVE = ("anti_dsdna",)


def biology_visits_query(con, flt, settings, months) -> pd.DataFrame:
    """Visits of analysed patients at ``months`` (baseline first), counted (``n``) per
    month and, for each marker, status at M0 (``<marker>_m0``), status at the month
    (``_mk``) and shift (``_shift``, none for complement). Patients without a visit at a
    month are in no row: at that month they have no status and an unknown shift."""
    table = _visit_rules(con, settings)
    at, params = _at_months(months, "r.month")
    keys = ["month"] + [f"{name}_{part}" for name in BIOLOGY_MARKERS for part in ("m0", "mk", "shift")
                        if not (name == "complement" and part == "shift")]
    return _scoped(con, flt, settings, f"""
        SELECT {", ".join("r." + k for k in keys)}, count(*) AS n
        FROM {table} r JOIN analysed p ON p._pid = r._pid
        WHERE {at} GROUP BY ALL ORDER BY ALL""", params)


def biology_pairs_query(con, flt, settings, months, marker: str) -> pd.DataFrame:
    """Analysed patients x follow-up ``months`` for ``marker``: patient_id, month, seen,
    value_m0, value, status_m0, status, shift (complement: c3_m0, c4_m0, c3, c4 too and
    no value), by patient_id and month (``_visit_rules``)."""
    if marker not in BIOLOGY_MARKERS:
        raise ValueError(f"unknown marker {marker!r}")
    table = _visit_rules(con, settings)
    value = _MARKER_RULES[marker][1]
    values = f"v0.{value} AS value_m0, v.{value} AS value" if value else "NULL AS value_m0, NULL AS value"
    extra = ", v0.c3 AS c3_m0, v0.c4 AS c4_m0, v.c3, v.c4" if marker == "complement" else ""
    return _scoped(con, flt, settings, f"""
        , months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month)
        SELECT p.patient_id, m.month, v._pid IS NOT NULL AS seen, {values}, r0.{marker}_m0 AS status_m0,
               r.{marker}_mk AS status, coalesce(r.{marker}_shift, 'unknown') AS shift{extra}
        FROM analysed p CROSS JOIN months m
        LEFT JOIN _visits v ON v._pid = p._pid AND v.month = m.month
        LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
        LEFT JOIN {table} r ON r._pid = p._pid AND r.month = m.month
        LEFT JOIN {table} r0 ON r0._pid = p._pid AND r0.month = $baseline
        ORDER BY p._pid, m.month""", {"months": [int(m) for m in months]})


# --- Steroids ------------------------------------------------------------------------

def steroid_values_query(con, flt, settings, months) -> dict[str, np.ndarray]:
    """The visits of analysed patients at ``months``, by month then patient, as arrays:
    month, _pid, recorded_mg and recorded_m0_mg (as recorded), dose_mg and dose_m0_mg
    (prednisone equivalents), unknown_drug and unknown_drug_m0 (``_visit_rules``). A
    patient without a visit at a month has no dose there and is in no row."""
    table = _visit_rules(con, settings)
    at, params = _at_months(months, "r.month")
    return _scoped_arrays(con, flt, settings, f"""
        SELECT r.month, r._pid, r.recorded_mg, r.recorded_m0_mg, r.dose_mg, r.dose_m0_mg, r.unknown_drug,
               r.unknown_drug_m0
        FROM {table} r JOIN analysed p ON p._pid = r._pid
        WHERE {at} ORDER BY r.month, r._pid""", params)


def steroid_unknown_drugs_query(con, flt, settings, months) -> list[str]:
    """The ``cs_drug`` cells, as written, of the doses left out as unknown drugs."""
    table = _visit_rules(con, settings)
    at, params = _at_months(months, "r.month")
    sql, params = _scoped_sql(con, flt, settings, f"""
        SELECT DISTINCT r.cs_drug FROM {table} r JOIN analysed p ON p._pid = r._pid
        WHERE {at} AND r.unknown_drug ORDER BY r.cs_drug""", params)
    return [r[0] for r in con.execute(sql, params).fetchall()]


def steroid_doses_query(con, flt, settings, months) -> pd.DataFrame:
    """Analysed patients x ``months``: patient_id, month, seen, dose_mg, dose_m0_mg,
    recorded_mg, recorded_m0_mg, unknown_drug, unknown_drug_m0 (the baseline values
    also where the patient was not seen), by patient_id and month."""
    table = _visit_rules(con, settings)
    return _scoped(con, flt, settings, f"""
        , months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month)
        SELECT p.patient_id, m.month, r._pid IS NOT NULL AS seen, r.dose_mg, r0.dose_mg AS dose_m0_mg,
               r.recorded_mg, r0.recorded_mg AS recorded_m0_mg, coalesce(r.unknown_drug, FALSE) AS unknown_drug,
               coalesce(r0.unknown_drug, FALSE) AS unknown_drug_m0
        FROM analysed p CROSS JOIN months m
        LEFT JOIN {table} r ON r._pid = p._pid AND r.month = m.month
        LEFT JOIN {table} r0 ON r0._pid = p._pid AND r0.month = $baseline
        ORDER BY p._pid, m.month""", {"months": [int(m) for m in months]})


# --- Safety --------------------------------------------------------------------------

_FOLLOWUP = """
        , last_visit AS (SELECT _pid, max(month) AS last_visit_month FROM _visits GROUP BY _pid),
        ev AS (
            SELECT _pid, max(month) AS last_event_month,
                   count(*) FILTER (WHERE type = 'infection') AS infection_events,
                   coalesce(bool_or(type = 'infection'), FALSE) AS any_infection,
                   coalesce(bool_or(type = 'infection' AND severe), FALSE) AS severe_infection,
                   coalesce(bool_or(vzv), FALSE) AS vzv
            FROM _events GROUP BY _pid
        ),
        followup AS (
            -- Follow-up: the later of the last visit and the last event (0 with neither).
            SELECT s._pid, coalesce(greatest(CAST(lv.last_visit_month AS DOUBLE), ev.last_event_month), 0.0)
                       AS followup_months,
                   coalesce(ev.infection_events, 0) AS infection_events,
                   coalesce(ev.any_infection, FALSE) AS any_infection,
                   coalesce(ev.severe_infection, FALSE) AS severe_infection,
                   coalesce(ev.vzv, FALSE) AS vzv, ev._pid IS NOT NULL AS with_events
            FROM sel s
            LEFT JOIN last_visit lv ON lv._pid = s._pid
            LEFT JOIN ev ON ev._pid = s._pid
        )"""


def safety_followup_query(con, flt, settings) -> dict[str, np.ndarray]:
    """Each treated patient, by patient_id, as arrays (one pass over the visits and
    events): followup_months, infection_events, any_infection, severe_infection, vzv
    and with_events. The panel counts the flags and sums the follow-up in patient order
    (the exposure is summed as it always has been, to the last digit)."""
    return _scoped_arrays(con, flt, settings, _FOLLOWUP + """
        SELECT followup_months, infection_events, any_infection, severe_infection, vzv, with_events
        FROM followup ORDER BY _pid""")


def swimmer_query(con, flt, settings, limit: int | None = None) -> pd.DataFrame:
    """Treated patients: patient_id, start (0) and end (follow-up months), by patient_id.

    With ``limit``, the patients a swimmer plot of at most ``limit`` bars shows: all of
    them when they are that few, else those with an event, the first ``limit`` of them
    by natural patient id order (P2 before P10).
    """
    if limit is None:
        return _scoped(con, flt, settings, _FOLLOWUP + """
            SELECT p.patient_id, 0.0 AS start, f.followup_months AS "end"
            FROM followup f JOIN _patients p ON p._pid = f._pid ORDER BY f._pid""")
    return _scoped(con, flt, settings, _FOLLOWUP + """
        , shown AS (
            SELECT f.* FROM followup f
            WHERE (SELECT count(*) FROM followup) <= $limit OR f.with_events
        )
        SELECT p.patient_id, 0.0 AS start, s.followup_months AS "end"
        FROM shown s JOIN _patients p ON p._pid = s._pid
        ORDER BY length(p.patient_id), p.patient_id LIMIT $limit""", {"limit": int(limit)})


def events_query(con, flt, settings, patient_ids: list[str] | None = None) -> pd.DataFrame:
    """Every event of the treated patients of the subgroup (of ``patient_ids`` only if
    given), by month, patient_id, type and description."""
    only, params = "", {}
    if patient_ids is not None:
        only, params = "AND list_contains(CAST($ids AS VARCHAR[]), p.patient_id)", {"ids": list(patient_ids)}
    return _scoped(con, flt, settings, f"""
        SELECT p.patient_id, e.month, e.type, e.description, e.severe, e.vzv
        FROM _events e JOIN sel s ON s._pid = e._pid
        JOIN _patients p ON p._pid = e._pid {only}
        ORDER BY e.month, e._pid, e.type, e.description""", params)


def visceral_events_query(con, flt, settings) -> pd.DataFrame:
    """The visceral events of the treated patients: patient_id, month, description, by
    month, patient_id and description."""
    return _scoped(con, flt, settings, """
        SELECT p.patient_id, e.month, e.description
        FROM _events e JOIN sel s ON s._pid = e._pid
        JOIN _patients p ON p._pid = e._pid
        WHERE e.type = 'visceral'
        ORDER BY e.month, e._pid, e.description""")


def events_by_type_query(con, flt, settings) -> pd.DataFrame:
    """Events and distinct patients per event type among the treated patients."""
    return _scoped(con, flt, settings, """
        SELECT e.type, count(*) AS events, count(DISTINCT e._pid) AS patients
        FROM _events e JOIN sel s ON s._pid = e._pid
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
