"""What the sidebar offers: distinct values, numeric ranges, extra patient columns' levels."""
from __future__ import annotations

import pandas as pd

from core.queries.scope import checked_column, holds_lock, run_query
from core.schema import quote_identifier

_Q = quote_identifier


@holds_lock
def distinct_values_query(con, table: str, column: str) -> list[str]:
    """The distinct non-missing values of ``table.column``, sorted."""
    ident = checked_column(con, table, column)
    rows = con.execute(
        f"SELECT DISTINCT CAST({ident} AS VARCHAR) AS v FROM {_Q(table)} WHERE {ident} IS NOT NULL ORDER BY v"
    ).fetchall()
    return [r[0] for r in rows]


@holds_lock
def numeric_ranges_query(con) -> pd.DataFrame:
    """Minimum and maximum age and prior lines over all patients."""
    return run_query(con, """
        SELECT min(age) AS age_min, max(age) AS age_max,
               min(prior_lines) AS lines_min, max(prior_lines) AS lines_max
        FROM patients""", {})


@holds_lock
def extra_levels_query(con, extras: tuple[str, ...], max_levels: int, min_levels: int = 1,
                       min_patients: int = 1) -> pd.DataFrame:
    """(column, value) for each extra patient column with ``min_levels``..``max_levels``
    distinct non-blank values, each held by at least ``min_patients`` patients, ordered
    by column position then value."""
    params = {"max_levels": max_levels, "min_levels": min_levels, "min_patients": min_patients}
    levels = _extra_levels_sql(con, extras, params)
    if levels is None:
        return pd.DataFrame({"column": pd.Series([], dtype="string"), "value": pd.Series([], dtype="string")})
    return run_query(con, f"""
        WITH {levels},
        usable AS (SELECT "column" FROM levels GROUP BY "column"
                   HAVING count(*) BETWEEN $min_levels AND $max_levels AND min(patients) >= $min_patients)
        SELECT l."column", l.value FROM levels l SEMI JOIN usable u ON u."column" = l."column"
        ORDER BY l.position, l.value""", params)


@holds_lock
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
    return run_query(con, f"""
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
        ident = checked_column(con, "patients", column)
        params[f"name{k}"] = column
        parts.append(f"""SELECT $name{k} AS "column", {k} AS position, CAST({ident} AS VARCHAR) AS value, patient_id
                         FROM patients WHERE nullif(trim(CAST({ident} AS VARCHAR)), '') IS NOT NULL""")
    if not parts:
        return None
    return f"""vals AS ({' UNION ALL '.join(parts)}),
        levels AS (SELECT "column", position, value, count(DISTINCT patient_id) AS patients
                   FROM vals GROUP BY "column", position, value)"""
