"""The scope every panel query starts from, and how queries are run.

``pop`` (the patients of the subgroup filter, which is the safety population, with their
exclusion flags), ``sel`` (their ids) and ``analysed`` (the efficacy population) are CTEs
written once here; ``scoped`` runs a query body within them. The subgroup becomes one
WHERE clause of bound parameters; a column named by the user (an extra column) is
checked against the table's actual columns and quoted by ``schema.quote_identifier``.

What does not depend on the subgroup is derived from the cohort once per connection,
into tables the queries join (``derived_table``): the rules' values for every visit,
each patient's follow-up, and the patients of a subgroup chosen on the baseline visit.

Every public query runs under its connection's lock (``holds_lock``), and the helpers
here run within one: a download's thread and the page's script may query one cohort
at once.
"""
from __future__ import annotations

import functools
import hashlib
import re
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.schema import quote_identifier

if TYPE_CHECKING:
    from core.filters import Band, Filter
    from core.settings import Settings

_Q = quote_identifier
Query = TypeVar("Query", bound=Callable)

# Each connection's lock (``connection_lock``), kept as long as the connection.
_LOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def connection_lock(con: duckdb.DuckDBPyConnection) -> threading.RLock:
    """The lock a thread holds while it uses ``con``.

    DuckDB runs one call at a time on a connection and refuses a second one meanwhile;
    and a query's result is fetched by a call after the query's, so that a thread using
    the connection in between would take that result as its own. Every query of the
    analysis holds this lock from the tables it derives to its fetched result
    (``holds_lock``), and closing the connection waits for it.
    Re-entrant: a query may run another under it.
    """
    with _LOCKS_GUARD:
        lock = _LOCKS.get(con)
        if lock is None:
            lock = _LOCKS[con] = threading.RLock()
        return lock


def holds_lock(query: Query) -> Query:
    """``query(con, ...)`` run under ``con``'s lock (``connection_lock``): from
    the tables it derives, which another thread could otherwise drop, to its fetched
    result. Every public query of this package is wrapped in it."""

    @functools.wraps(query)
    def locked(con, *args, **kwargs):
        with connection_lock(con):
            return query(con, *args, **kwargs)

    locked.holds_connection_lock = True
    return locked  # type: ignore[return-value]

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
pop AS (
    SELECT p.*,{exclusions}
    FROM _patients p SEMI JOIN {selected} s ON s._pid = p._pid
),"""
# Subgroups chosen on the baseline visit whose patients a connection keeps (a table of
# their _pid each, a few bytes a patient): joining the visits for every query of every
# panel cost a third of a query at registry scale.
_BASELINE_SUBGROUPS_KEPT = 16
_SCOPE = """
sel AS (SELECT _pid FROM pop),
analysed AS (
    SELECT * FROM pop WHERE NOT (age_under_min OR criteria_not_met OR no_involvement)
)
"""


# The tables each connection has derived from its cohort, by name, with their family
# (``derived_table``): looked up here, not in DuckDB's catalog (a query each time).
_DERIVED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def derived_table(con: duckdb.DuckDBPyConnection, family: str, key, select: str, params: dict | None = None,
                  keep: int = 1) -> str:
    """The name of the table that ``select`` makes of the cohort for ``key`` (a repr-able
    value; None for a family of one table), made on this connection the first time it
    is asked for: a cohort never changes. A connection keeps at most ``keep`` tables of
    ``family``; making one more drops the oldest. Called by a query under the
    connection's lock (``holds_lock``), for which the name stays good."""
    name = family if key is None else f"{family}_{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}"
    held = _DERIVED.setdefault(con, {})
    if name in held:
        return name
    same = [n for n, f in held.items() if f == family]
    for old in same[:max(0, len(same) - keep + 1)]:
        con.execute(f"DROP TABLE {_Q(old)}")
        del held[old]
    # OR REPLACE: a table left unregistered (an interrupted call) is made again.
    con.execute(f"CREATE OR REPLACE TABLE {_Q(name)} AS {select}", params or {})
    held[name] = family
    return name


# Arrow types read as pandas' nullable types: a missing value stays NA, no object column.
NULLABLE = {pa.bool_(): pd.BooleanDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
             pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}


def run_query(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _query_arrays(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> dict[str, np.ndarray]:
    """Each column of the result as a numpy array: numbers as float with NaN for NULL,
    flags as bool with NULL read False. Read through Arrow, which gives a NULL number as
    NaN at once: a third faster than numpy's masked arrays over a registry's visits."""
    table = con.sql(sql, params=params).to_arrow_table()
    out = {}
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_boolean(column.type):
            out[name] = pc.fill_null(column, False).to_numpy()
        else:
            out[name] = column.to_numpy().astype(float)
    return out


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


def checked_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
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
        conds.append(f"list_contains($f_extra{k}, p.{checked_column(con, 'patients', column)})")
    return " AND ".join(conds)


def scoped_sql(con, flt, settings: Settings, body: str, params: dict | None) -> tuple[str, dict]:
    params = {"baseline": settings.baseline_month, "min_age": settings.min_age, **(params or {})}
    where = _filter_sql(con, flt, params)
    if "v0." in where:
        pop = _POP_M0.format(selected=_baseline_subgroup(con, where, params), exclusions=_EXCLUSIONS)
    else:
        pop = _POP.format(where=where, exclusions=_EXCLUSIONS)
    sql = "WITH " + pop + _SCOPE + body
    return sql, _bound(params, sql)


def _bound(params: dict, sql: str) -> dict:
    """The parameters ``sql`` uses: DuckDB refuses one a statement does not use (rules
    bind only their own)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _baseline_subgroup(con, where: str, params: dict) -> str:
    """The table of the patients (_pid) whose baseline visit and patient row meet
    ``where``; a patient with two baseline visits is kept when either does."""
    select = f"""SELECT p._pid FROM _patients p LEFT JOIN _visits v0 ON v0._pid = p._pid AND v0.month = $baseline
                 WHERE {where}"""
    used = _bound(params, select)
    return derived_table(con, "_baseline_subgroup", (where, sorted(used.items())), select, used,
                         keep=_BASELINE_SUBGROUPS_KEPT)


def scoped(con, flt, settings: Settings, body: str, params: dict | None = None) -> pd.DataFrame:
    """Run ``body`` (a SELECT that may use pop, sel, analysed) within the scope CTEs."""
    return run_query(con, *scoped_sql(con, flt, settings, body, params))


def scoped_nullable(con, flt, settings: Settings, body: str, params: dict | None = None) -> pd.DataFrame:
    """``scoped``, read through Arrow as pandas' nullable types (``NULLABLE``): no Python
    object per text cell (a registry's thousands of excluded patients)."""
    sql, params = scoped_sql(con, flt, settings, body, params)
    return con.sql(sql, params=params).to_arrow_table().to_pandas(types_mapper=NULLABLE.get)


def scoped_arrays(con, flt, settings: Settings, body: str, params: dict | None = None) -> dict[str, np.ndarray]:
    """``scoped``, each column as a numpy array (``_query_arrays``)."""
    return _query_arrays(con, *scoped_sql(con, flt, settings, body, params))


def at_months(months, column: str) -> tuple[str, dict]:
    """``column IN (...)`` over ``months``, and its parameters."""
    params = {f"month{k}": int(m) for k, m in enumerate(months)}
    if not params:
        return "FALSE", params
    return f"{column} IN ({', '.join('$' + k for k in params)})", params
